// The operator's dead-letter screen in Chromium against the whole local system (fixture.ts): a dead
// letter's body is shown, one is replayed onto its queue and another discarded after confirming; an
// inbound webhook the sweeper gave up on is replayed and then processed by the real consumer.
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { newId } from "../../packages/db/src/ids.ts";
import {
  type DashboardFixture,
  DEMO_LOGINS,
  openPage,
  row,
  screenshotPath,
  startDashboardFixture,
} from "./fixture.ts";

let fixture: DashboardFixture;
let operator: BrowserContext;
const ids = { samples: newId(), delivery: newId(), inbound: newId() };

beforeAll(async () => {
  fixture = await startDashboardFixture();
  operator = await fixture.newContext({ login: DEMO_LOGINS.operator });
  // What the dead-letter consumer and the inbound sweeper leave behind after failures.
  const db = await fixture.system.mf.getD1Database("CENTRAL_DB");
  const letter = (id: string, queue: string, body: object) =>
    db
      .prepare(
        "INSERT INTO dead_letters (id, queue, message_id, company_id, body, attempts) VALUES (?, ?, ?, ?, ?, 6)",
      )
      .bind(id, queue, `msg-${id}`, fixture.demoCompanyId, JSON.stringify(body));
  await db.batch([
    letter(ids.samples, "nexus-telemetry-dlq", {
      kind: "samples",
      company_id: fixture.demoCompanyId,
      key: "e2e:replayed-batch",
      installation_id: null,
      samples: [],
      usage: [],
    }),
    letter(ids.delivery, "nexus-events-dlq", {
      kind: "delivery",
      delivery_id: "gone-delivery",
      company_id: fixture.demoCompanyId,
    }),
    db
      .prepare(
        `INSERT INTO inbound_webhook_events (id, provider, event_id, event_type, payload, received_at, state, attempts, last_error)
         VALUES (?, 'github', 'sha256:e2e', 'release', '{}', ?, 'failed', 8, 'gave up after 8 attempts')`,
      )
      .bind(ids.inbound, Date.now()),
  ]);
}, 180_000);

afterAll(async () => {
  await fixture?.stop();
});

const letterState = async (id: string) =>
  ((await fixture.api(`/api/admin/dead-letters/${id}`)) as { dead_letter: { state: string } }).dead_letter
    .state;

it("shows, replays and discards dead letters, and replays a failed inbound webhook", {
  timeout: 90_000,
}, async () => {
  const { page, errors } = await openPage(operator);
  await page.goto(fixture.url("/"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dead letters" }).click();
  await page.getByRole("heading", { level: 1, name: "Dead letters" }).waitFor();

  const samples = row(page, "nexus-telemetry");
  await samples.getByRole("button", { name: /^Show/ }).click();
  // The message body opens under its row.
  await page.locator("pre", { hasText: '"key": "e2e:replayed-batch"' }).waitFor();
  await page.screenshot({ path: screenshotPath("dead-letters.png"), fullPage: true });

  await samples.getByRole("button", { name: /^Replay/ }).click();
  await page.getByRole("status").filter({ hasText: "Replayed 1 dead letter." }).waitFor();
  await expect.poll(() => row(page, "nexus-telemetry").count()).toBe(0);
  expect(await letterState(ids.samples)).toBe("replayed");

  const delivery = row(page, "delivery");
  await delivery.getByRole("button", { name: /^Discard/ }).click();
  await delivery.getByRole("button", { name: "Discard", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "Discarded 1 dead letter." }).waitFor();
  expect(await letterState(ids.delivery)).toBe("discarded");
  await page.getByRole("heading", { name: "No pending dead letters" }).waitFor();

  const inbound = row(page, "gave up after 8 attempts");
  await inbound.getByText("failed", { exact: true }).waitFor();
  await inbound.getByRole("button", { name: "Replay github event" }).click();
  await inbound.getByText("queued", { exact: true }).waitFor();
  await expect
    .poll(
      async () =>
        (
          (await fixture.api("/api/admin/inbound-webhooks?provider=github")) as {
            events: { id: string; state: string }[];
          }
        ).events.find((event) => event.id === ids.inbound)?.state,
      { timeout: 20_000 },
    )
    .toBe("processed");
  expect(errors).toEqual([]);
});
