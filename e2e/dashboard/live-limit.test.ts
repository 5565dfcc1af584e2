// The company's dashboard connection limit as a user meets it, in Chromium against the whole local
// system (fixture.ts): with the company's dashboard sockets all taken, a new tab says why its live
// updates are off instead of reconnecting silently, and goes live once another tab lets go.
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  LIVE_DASHBOARD_LIMIT_MESSAGE,
  LIVE_DASHBOARD_SOCKETS_PER_COMPANY,
} from "../../packages/contracts/src/index.ts";
import { DEMO_LOGINS } from "../../scripts/seed-demo.ts";
import { type DashboardFixture, openPage, screenshotPath, startDashboardFixture } from "./fixture.ts";

let fixture: DashboardFixture;
let owner: BrowserContext;

beforeAll(async () => {
  fixture = await startDashboardFixture();
  owner = await fixture.newContext({ login: DEMO_LOGINS.owner });
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

it("tells a tab over the company's dashboard connection limit why it is not live, then recovers", {
  timeout: 90_000,
}, async () => {
  const overview = fixture.url(`/companies/${fixture.demoCompanyId}`);
  const first = await openPage(owner);
  await first.page.goto(overview);
  await first.page
    .getByRole("status")
    .filter({ hasText: /^Live$/ })
    .waitFor();
  // The rest of the allowance, taken by the first tab's own extra sockets (same session cookie).
  const liveUrl = new URL(fixture.url(`/api/live?company_id=${fixture.demoCompanyId}`));
  liveUrl.protocol = liveUrl.protocol === "https:" ? "wss:" : "ws:";
  const opened = await first.page.evaluate(
    async ({ url, count }) => {
      const sockets = await Promise.all(
        Array.from(
          { length: count },
          () =>
            new Promise<WebSocket>((resolve, reject) => {
              const socket = new WebSocket(url);
              socket.addEventListener("message", (event) => {
                if (String(event.data).includes('"welcome"')) resolve(socket);
              });
              socket.addEventListener("close", (event) => reject(new Error(`closed ${event.code}`)));
            }),
        ),
      );
      (globalThis as unknown as { extraSockets: WebSocket[] }).extraSockets = sockets;
      return sockets.length;
    },
    { url: liveUrl.href, count: LIVE_DASHBOARD_SOCKETS_PER_COMPANY - 1 },
  );
  expect(opened).toBe(LIVE_DASHBOARD_SOCKETS_PER_COMPANY - 1);

  const second = await openPage(owner);
  await second.page.goto(overview);
  const refused = second.page.getByRole("status").filter({ hasText: LIVE_DASHBOARD_LIMIT_MESSAGE });
  await refused.waitFor({ timeout: 15_000 });
  expect(await refused.textContent()).toBe(
    `Too many dashboard connections for this company (limit ${LIVE_DASHBOARD_SOCKETS_PER_COMPANY}); close other tabs.`,
  );
  await second.page.screenshot({ path: screenshotPath("live-limit.png") });
  // The first tab kept its connection.
  await first.page
    .getByRole("status")
    .filter({ hasText: /^Live$/ })
    .waitFor();

  // Another tab lets go of one: the refused tab's retries (with backoff) get in.
  await first.page.evaluate(() => {
    (globalThis as unknown as { extraSockets: WebSocket[] }).extraSockets.pop()?.close(1000, "tab closed");
  });
  await second.page
    .getByRole("status")
    .filter({ hasText: /^Live$/ })
    .waitFor({ timeout: 60_000 });
  expect(first.errors).toEqual([]);
  expect(second.errors).toEqual([]);
});
