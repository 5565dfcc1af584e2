// The dashboard in Debian's Chromium (playwright-core), against the whole local system: the
// bundled API and telemetry workers (e2e/local-system.ts) and the dashboard's Pages build with its
// /api proxy (dashboard-server.ts). Seeded with the same demo data and logins as `pnpm dev`.
// Screenshots of the main screens go to docs/screenshots/ for the README.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  DEMO_COMPANY,
  DEMO_INSTALLATIONS,
  DEMO_LOGINS,
  seedDemo,
  seedDemoUsers,
} from "../../scripts/seed-demo.ts";
import { type LocalSystem, startLocalSystem } from "../local-system.ts";
import {
  buildDashboardForPages,
  type DashboardServer,
  freeLocalPort,
  startDashboard,
} from "./dashboard-server.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const BRAND_COLOR = "#0f766e";
const RIVAL = { name: "Rival Industries", hostname: "RIVAL-SECRET-PC" };

let tmp: string;
let system: LocalSystem;
let dashboard: DashboardServer;
let browser: Browser;
let demoCompanyId: string;
let rivalCompanyId: string;
/** The owner's signed-in browser, shared by the owner's tests (sign-in is rate limited per IP). */
let ownerContext: BrowserContext | undefined;

async function api(path: string, init: { method?: string; body?: unknown } = {}): Promise<unknown> {
  const response = await fetch(new URL(path, system.url), {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${system.adminSecret}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} -> ${response.status}: ${text}`);
  return JSON.parse(text);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  tmp = await mkdtemp(join(tmpdir(), "nexus-dashboard-e2e-"));
  const port = await freeLocalPort();
  const [started, build] = await Promise.all([
    startLocalSystem({
      // The dashboard's origin is where the browser signs in from (better-auth checks it); heartbeats
      // reach D1 within a second, so the seeded installations show as online.
      vars: { DASHBOARD_ORIGINS: `http://127.0.0.1:${port}`, HEARTBEAT_FLUSH_SECONDS: "1" },
    }),
    buildDashboardForPages(tmp),
  ]);
  system = started;
  dashboard = await startDashboard({ build, port, apiUrl: system.url });
  const quiet = () => {};
  demoCompanyId = (await seedDemo(system.url.origin, system.adminSecret, quiet)).companyId;
  await seedDemoUsers(system.url.origin, system.adminSecret, quiet);
  await api(`/api/admin/companies/${demoCompanyId}/settings`, {
    method: "PUT",
    body: { settings: { primary_color: BRAND_COLOR } },
  });
  const rival = await system.registerCompany({ company_name: RIVAL.name });
  rivalCompanyId = rival.company_id;
  await system.validateMachine({
    company_code: rival.company_code,
    machine_id: "rival-machine-01",
    hostname: RIVAL.hostname,
  });
  await untilHeartbeatsFlushed();
  browser = await chromium.launch({ executablePath: CHROMIUM });
  await mkdir(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await system?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The hub writes heartbeats to D1 on its flush alarm; the screenshots should show them. */
async function untilHeartbeatsFlushed(): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const { installations } = (await api(`/api/admin/companies/${demoCompanyId}/installations`)) as {
      installations: { last_heartbeat_at: string | null }[];
    };
    if (installations.every((installation) => installation.last_heartbeat_at !== null)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the demo installations' heartbeats did not reach D1");
}

/** A page that fails the test on any uncaught error in the app. */
async function openPage(context: BrowserContext): Promise<{ page: Page; errors: Error[] }> {
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  return { page, errors };
}

async function signIn(page: Page, login: { email: string; password: string }): Promise<void> {
  await page.getByLabel("Email").fill(login.email);
  await page.getByLabel("Password").fill(login.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const row = (page: Page, text: string) => page.locator("tbody tr", { hasText: text });

it("signs the owner in, shows the company's installations and one coming online live", {
  timeout: 60_000,
}, async () => {
  ownerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, errors } = await openPage(ownerContext);
  await page.goto(dashboard.url.href);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  // The email field has the focus: a keyboard user types straight away.
  const email = page.getByLabel("Email");
  await expect
    .poll(() => email.evaluate((element) => element === element.ownerDocument.activeElement))
    .toBe(true);
  await page.screenshot({ path: join(SCREENSHOTS, "sign-in.png") });

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
  // The company's primary color (settings.primary_color) brands the page.
  expect(
    await page
      .locator(".topbar")
      .evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).backgroundColor),
  ).toBe("rgb(15, 118, 110)");

  // A desktop app joins and opens its live connection, as packages/client does.
  const joined = await system.validateMachine({
    company_code: DEMO_COMPANY.company_code,
    machine_id: "e2e-live-machine",
    hostname: "LIVE-PC-07",
    os_version: "Ubuntu 24.04",
    app_version: "1.4.2",
  });
  const liveUrl = new URL(`/api/live?token=${joined.installation.token}`, system.url);
  liveUrl.protocol = "ws:";
  const socket = new WebSocket(liveUrl.href);
  try {
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve, { once: true });
      socket.addEventListener("error", () => reject(new Error("the installation's socket failed")), {
        once: true,
      });
    });
    // No reload: the presence message brings the new installation in, online.
    await row(page, "LIVE-PC-07").getByText("Online").waitFor({ timeout: 15_000 });
    await page
      .getByTestId("online-count")
      .filter({ hasText: String(DEMO_INSTALLATIONS.length + 1) })
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "company-overview.png"), fullPage: true });

    // Filters are applied by the API.
    await page.getByLabel("Search").fill("SHOP");
    await page.locator("tbody tr").first().filter({ hasText: "SHOP-FLOOR-01" }).waitFor();
    await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
    await page.getByRole("button", { name: "Clear filters" }).first().click();
    await expect.poll(() => page.locator("tbody tr").count()).toBe(DEMO_INSTALLATIONS.length + 1);

    // Tablet width: everything fits, the table included (no scrolling sideways).
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await page.locator("html").evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(768);
    const table = page.locator(".table-scroll");
    expect(await table.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(
      0,
    );
    await page.screenshot({ path: join(SCREENSHOTS, "company-overview-tablet.png"), fullPage: true });
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
  await page.goto(new URL(`/companies/${rivalCompanyId}`, dashboard.url).href);
  await page.getByRole("alert").filter({ hasText: "Company not found" }).waitFor();
  const text = await page.locator("body").textContent();
  expect(text).not.toContain(RIVAL.name);
  expect(text).not.toContain(RIVAL.hostname);
  expect(await page.locator("table").count()).toBe(0);
  await page.screenshot({ path: join(SCREENSHOTS, "company-not-found.png") });

  // Nor does the proxy hand it out when asked directly, over HTTP or the live channel.
  const listed = await page.request.get(
    new URL(`/api/admin/companies/${rivalCompanyId}/installations`, dashboard.url).href,
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
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const { page, errors } = await openPage(context);
    await page.goto(new URL("/", dashboard.url).href);
    await signIn(page, DEMO_LOGINS.operator);
    await page.getByRole("heading", { level: 1, name: "All companies" }).waitFor();
    await page.getByRole("link", { name: DEMO_COMPANY.company_name }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "companies-operator.png") });

    await page.getByRole("link", { name: RIVAL.name }).click();
    await page.getByRole("heading", { level: 1, name: RIVAL.name }).waitFor();
    await row(page, RIVAL.hostname).waitFor();
    expect(await page.locator("body").textContent()).not.toContain(DEMO_INSTALLATIONS[0].hostname);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    const session = await page.request.get(new URL("/api/auth/get-session", dashboard.url).href);
    expect(await session.json()).toBeNull();
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
