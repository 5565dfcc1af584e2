// The operator's alert screen in Chromium against the whole local system (fixture.ts): the API's
// five-minute check runs through the worker's scheduled handler (as the cron would) with thresholds
// that make the tenant pool low and one dead letter too many; both alerts show with their body and
// figures, filter by kind and status through the address, and one is resolved as the API records it.
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

type Alert = { id: string; kind: string; status: string; delivered_to: string[] };
const alerts = async (query: string) =>
  ((await fixture.api(`/api/admin/operator-alerts${query}`)) as { alerts: Alert[] }).alerts;

beforeAll(async () => {
  fixture = await startDashboardFixture({
    vars: {
      TENANT_POOL_LOW_THRESHOLD: "10000",
      DEAD_LETTER_ALERT_THRESHOLD: "1",
      OPERATOR_ALERT_EMAILS: "ops@nexus.example",
    },
  });
  operator = await fixture.newContext({ login: DEMO_LOGINS.operator });
  const db = await fixture.system.mf.getD1Database("CENTRAL_DB");
  await db
    .prepare("INSERT INTO dead_letters (id, queue, message_id, body, attempts) VALUES (?, ?, ?, ?, 6)")
    .bind(newId(), "nexus-events-dlq", `msg-${newId()}`, JSON.stringify({ kind: "delivery" }))
    .run();
  // What the "*/5 * * * *" cron trigger runs.
  const api = await fixture.system.mf.getWorker();
  await api.scheduled({ cron: "*/5 * * * *" });
  expect((await alerts("?status=open")).map((alert) => alert.kind).sort()).toEqual([
    "dead_letters_growing",
    "tenant_pool_low",
  ]);
}, 180_000);

afterAll(async () => {
  await fixture?.stop();
});

it("lists open alerts with what the check saw, filters them, and resolves one", {
  timeout: 90_000,
}, async () => {
  const { page, errors } = await openPage(operator);
  await page.goto(fixture.url("/"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
  await page.getByRole("heading", { level: 1, name: "Alerts" }).waitFor();

  const pool = row(page, "The tenant database pool is low");
  await pool.getByText("nexus tenants pool add").waitFor();
  await pool.getByText("10000", { exact: true }).waitFor();
  await pool.getByText("Mailed to ops@nexus.example").waitFor();
  await row(page, "1 dead letters are waiting").getByText("Dead letters growing").waitFor();
  await page.screenshot({ path: screenshotPath("operator-alerts.png"), fullPage: true });

  // The kind filter goes into the address and the request.
  await page.getByLabel("Kind").selectOption("dead_letters_growing");
  await page.waitForURL(/\/platform\/alerts\?kind=dead_letters_growing$/);
  await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
  await row(page, "dead letters are waiting").waitFor();
  await page.getByLabel("Kind").selectOption("");

  await pool.getByRole("button", { name: /^Resolve/ }).click();
  await page
    .getByRole("status")
    .filter({ hasText: /^Resolved “The tenant database pool is low/ })
    .waitFor();
  await expect.poll(() => pool.count()).toBe(0);
  expect((await alerts("?kind=tenant_pool_low")).map((alert) => alert.status)).toEqual(["resolved"]);

  // Resolved ones, linked by the address: no Resolve button.
  await page.getByLabel("Status").selectOption("resolved");
  await page.waitForURL(/\?status=resolved$/);
  const resolved = row(page, "The tenant database pool is low");
  await resolved.getByText("resolved", { exact: true }).waitFor();
  expect(await resolved.getByRole("button", { name: /^Resolve/ }).count()).toBe(0);
  expect(errors).toEqual([]);
});

it("is not there for a company owner", { timeout: 60_000 }, async () => {
  const owner = await fixture.newContext({ login: DEMO_LOGINS.owner });
  const { page } = await openPage(owner);
  await page.goto(fixture.url("/platform/alerts"));
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  const response = await owner.request.get(fixture.url("/api/admin/operator-alerts"));
  expect(response.status()).toBe(403);
});
