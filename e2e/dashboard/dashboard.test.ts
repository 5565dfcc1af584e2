// The dashboard's first screens in Debian's Chromium against the whole local system (fixture.ts):
// sign-in, the owner's company overview with live presence, tenant isolation, and the operator's
// company picker.
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { request } from "../../scripts/api-request.ts";
import { DEMO_COMPANY, DEMO_INSTALLATIONS, DEMO_LOGINS } from "../../scripts/seed-demo.ts";
import {
  chartRows,
  type DashboardFixture,
  expectCountTicks,
  openPage,
  row,
  screenshotPath,
  signIn,
  startDashboardFixture,
} from "./fixture.ts";

const BRAND_COLOR = "#0f766e";
const RIVAL = { name: "Rival Industries", hostname: "RIVAL-SECRET-PC" };

let fixture: DashboardFixture;
let demoCompanyId: string;
let rivalCompanyId: string;
/** The owner's signed-in browser, shared by the owner's tests (sign-in is rate limited per IP). */
let ownerContext: BrowserContext | undefined;

beforeAll(async () => {
  fixture = await startDashboardFixture();
  demoCompanyId = fixture.demoCompanyId;
  await fixture.api(`/api/admin/companies/${demoCompanyId}/settings`, {
    method: "PUT",
    body: { settings: { primary_color: BRAND_COLOR } },
  });
  const rival = await fixture.system.registerCompany({ company_name: RIVAL.name });
  rivalCompanyId = rival.company_id;
  await fixture.system.validateMachine({
    company_code: rival.company_code,
    machine_id: "rival-machine-01",
    hostname: RIVAL.hostname,
  });
  await untilHeartbeatsFlushed();
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

/** The hub writes heartbeats to D1 on its flush alarm; the screenshots should show them. */
async function untilHeartbeatsFlushed(): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const { installations } = (await fixture.api(`/api/admin/companies/${demoCompanyId}/installations`)) as {
      installations: { last_heartbeat_at: string | null }[];
    };
    if (installations.every((installation) => installation.last_heartbeat_at !== null)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the demo installations' heartbeats did not reach D1");
}

it("signs the owner in, shows the company's installations and one coming online live", {
  timeout: 60_000,
}, async () => {
  ownerContext = await fixture.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, errors } = await openPage(ownerContext);
  await page.goto(fixture.dashboard.url.href);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  // The email field has the focus: a keyboard user types straight away.
  const email = page.getByLabel("Email");
  await expect
    .poll(() => email.evaluate((element) => element === element.ownerDocument.activeElement))
    .toBe(true);
  await page.screenshot({ path: screenshotPath("sign-in.png") });

  await signIn(page, { email: DEMO_LOGINS.owner.email, password: "not-the-password" });
  await page.getByRole("alert").filter({ hasText: "not right" }).waitFor();

  await signIn(page, DEMO_LOGINS.owner);
  // One company: the owner goes straight to it.
  await page.getByRole("heading", { level: 1, name: DEMO_COMPANY.company_name }).waitFor();
  expect(new URL(page.url()).pathname).toBe(`/companies/${demoCompanyId}`);
  for (const installation of DEMO_INSTALLATIONS) {
    await row(page, installation.hostname).getByText("Online").waitFor();
  }
  await page
    .getByRole("status")
    .filter({ hasText: /^Live$/ })
    .waitFor();
  expect(await page.getByTestId("online-count").textContent()).toBe(String(DEMO_INSTALLATIONS.length));

  // The versions in use and their adoption read the same figures: today's point of the chart is the
  // "By version" card, and the chart is not empty beside it. Installations count on whole numbers.
  const byVersion = page.getByRole("list", { name: "Installations by app version" }).locator("li");
  await byVersion.first().waitFor();
  const versions = await byVersion.evaluateAll((items) =>
    items.map((item) => [
      item.querySelector(".breakdown-label")?.textContent ?? "",
      item.querySelector(".breakdown-count")?.textContent ?? "",
    ]),
  );
  expect(versions).toEqual([
    ["1.4.2", "2"],
    ["1.3.0", "1"],
  ]);
  const adoption = page.getByRole("region", { name: "Update adoption: installations per app version" });
  await adoption.getByRole("img", { name: /Installations per app version per day/ }).waitFor();
  expect(await adoption.textContent()).not.toContain("No installation has reported");
  const today = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" }).format(
    Date.now(),
  );
  const todays = (await chartRows(adoption)).filter((point) => point.time === today && point.value !== "0");
  expect(todays.map((point) => [point.series, point.value]).sort()).toEqual([...versions].sort());
  await expectCountTicks(adoption);

  // The company's primary color (settings.primary_color) brands the page.
  expect(
    await page
      .locator(".topbar")
      .evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).backgroundColor),
  ).toBe("rgb(15, 118, 110)");

  // A desktop app joins and opens its live connection, as packages/client does.
  const joined = await fixture.system.validateMachine({
    company_code: DEMO_COMPANY.company_code,
    machine_id: "e2e-live-machine",
    hostname: "LIVE-PC-07",
    os_version: "Ubuntu 24.04",
    app_version: "1.4.2",
  });
  const liveUrl = new URL(`/api/live?token=${joined.installation.token}`, fixture.system.url);
  liveUrl.protocol = "ws:";
  const socket = new WebSocket(liveUrl.href);
  try {
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve, { once: true });
      socket.addEventListener("error", () => reject(new Error("the installation's socket failed")), {
        once: true,
      });
    });
    // No reload: the presence message brings the new installation in; connected but without a
    // heartbeat yet it is not online (one rule, @nexus/contracts' installationStatus).
    const joinedRow = row(page, "LIVE-PC-07");
    await joinedRow.getByText("Offline").waitFor({ timeout: 15_000 });
    expect(await joinedRow.textContent()).toContain("never");
    expect(await page.getByTestId("online-count").textContent()).toBe(String(DEMO_INSTALLATIONS.length));
    // Its first heartbeat: the hub tells the page, which shows it online, heard from just now.
    await request(fixture.system.url.origin, "/api/company/heartbeat", {
      method: "POST",
      token: joined.installation.token,
      body: JSON.stringify({
        company_code: DEMO_COMPANY.company_code,
        machine_id: "e2e-live-machine",
        app_version: "1.4.2",
      }),
    });
    await joinedRow.getByText("Online").waitFor({ timeout: 15_000 });
    expect(await joinedRow.textContent()).not.toContain("never");
    await page
      .getByTestId("online-count")
      .filter({ hasText: String(DEMO_INSTALLATIONS.length + 1) })
      .waitFor();
    await page.screenshot({ path: screenshotPath("company-overview.png"), fullPage: true });

    // Filters are applied by the API.
    const installations = page
      .getByRole("region", { name: "Installations", exact: true })
      .locator("tbody tr");
    await page.getByLabel("Search").fill("SHOP");
    await installations.first().filter({ hasText: "SHOP-FLOOR-01" }).waitFor();
    await expect.poll(() => installations.count()).toBe(1);
    await page.getByRole("button", { name: "Clear filters" }).first().click();
    await expect.poll(() => installations.count()).toBe(DEMO_INSTALLATIONS.length + 1);

    // Tablet width: everything fits, the table included (no scrolling sideways).
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await page.locator("html").evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(768);
    const table = page.locator(".table-scroll");
    expect(await table.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(
      0,
    );
    await page.screenshot({ path: screenshotPath("company-overview-tablet.png"), fullPage: true });
  } finally {
    socket.close();
  }
  // The socket closed: the installation goes offline, again without a reload.
  await row(page, "LIVE-PC-07").getByText("Offline").waitFor({ timeout: 15_000 });
  expect(errors).toEqual([]);
});

it("never shows another company's data to the owner", { timeout: 30_000 }, async () => {
  if (!ownerContext) throw new Error("the owner did not sign in");
  const { page, errors } = await openPage(ownerContext);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(new URL(`/companies/${rivalCompanyId}`, fixture.dashboard.url).href);
  await page.getByRole("alert").filter({ hasText: "Company not found" }).waitFor();
  const text = await page.locator("body").textContent();
  expect(text).not.toContain(RIVAL.name);
  expect(text).not.toContain(RIVAL.hostname);
  expect(await page.locator("table").count()).toBe(0);
  await page.screenshot({ path: screenshotPath("company-not-found.png") });

  // Nor does the proxy hand it out when asked directly, over HTTP or the live channel.
  const listed = await page.request.get(
    new URL(`/api/admin/companies/${rivalCompanyId}/installations`, fixture.dashboard.url).href,
  );
  expect(listed.status()).toBe(404);
  expect(await listed.text()).not.toContain(RIVAL.hostname);
  const socket = await page.evaluate(
    (companyId) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`/api/live?company_id=${companyId}`);
        ws.addEventListener("open", () => {
          ws.close();
          resolve("opened");
        });
        ws.addEventListener("error", () => resolve("refused"));
      }),
    rivalCompanyId,
  );
  expect(socket).toBe("refused");
  expect(errors).toEqual([]);
});

it("lets an operator pick any company, then sign out", { timeout: 30_000 }, async () => {
  const context = await fixture.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const { page, errors } = await openPage(context);
    await page.goto(new URL("/", fixture.dashboard.url).href);
    await signIn(page, DEMO_LOGINS.operator);
    await page.getByRole("heading", { level: 1, name: "All companies" }).waitFor();
    await page.getByRole("link", { name: DEMO_COMPANY.company_name }).waitFor();
    await page.screenshot({ path: screenshotPath("companies-operator.png") });

    await page.getByRole("link", { name: RIVAL.name }).click();
    await page.getByRole("heading", { level: 1, name: RIVAL.name }).waitFor();
    await row(page, RIVAL.hostname).waitFor();
    expect(await page.locator("body").textContent()).not.toContain(DEMO_INSTALLATIONS[0].hostname);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    const session = await page.request.get(new URL("/api/auth/get-session", fixture.dashboard.url).href);
    expect(await session.json()).toBeNull();
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
