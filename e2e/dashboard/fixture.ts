// What every dashboard browser test starts from: the whole local system (the bundled API and
// consumers workers, e2e/local-system.ts), the dashboard's Pages build with its /api proxy
// (dashboard-server.ts), the same demo data and logins as `pnpm dev`, and a Chromium (browser.ts)
// driven by playwright-core. Screenshots of the main screens go to docs/screenshots/ for the README
// only under `pnpm screenshots` (SCREENSHOTS=1); otherwise the tests take them into a temporary
// folder, so a test run leaves the work tree as it was.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { freeLocalPort } from "../../scripts/free-port.ts";
import { DEMO_LOGINS, seedDemo, seedDemoUsers } from "../../scripts/seed-demo.ts";
import { type LocalSystem, startLocalSystem } from "../local-system.ts";
import { resolveChromium } from "./browser.ts";
import { buildDashboardForPages, type DashboardServer, startDashboard } from "./dashboard-server.ts";

const WRITE_SCREENSHOTS = process.env.SCREENSHOTS === "1";
const SCREENSHOTS = WRITE_SCREENSHOTS
  ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url))
  : join(tmpdir(), `nexus-dashboard-screenshots-${process.pid}`);

export interface DashboardFixture {
  system: LocalSystem;
  dashboard: DashboardServer;
  browser: Browser;
  /** The seeded demo company (DEMO_COMPANY). */
  demoCompanyId: string;
  /** Calls the API directly as the platform admin (bearer ADMIN_SECRET). */
  api: (path: string, init?: { method?: string; body?: unknown }) => Promise<unknown>;
  /** An address on the dashboard. */
  url: (path: string) => string;
  /** A new browser context (1280 × 800 unless told), signed in as `login` when given. */
  newContext: (options?: {
    login?: { email: string; password: string };
    viewport?: { width: number; height: number };
  }) => Promise<BrowserContext>;
  stop: () => Promise<void>;
}

export interface FixtureOptions {
  /** More API variables (the dashboard's origin and a 1 s heartbeat flush are always set). */
  vars?: Record<string, string>;
  /** Serve the LLM providers' stand-ins and point the API at them (e2e/local-system.ts). */
  llmStandIns?: boolean;
}

export async function startDashboardFixture(options: FixtureOptions = {}): Promise<DashboardFixture> {
  // First, so a machine without a browser fails before the system starts.
  const { executablePath } = await resolveChromium();
  const tmp = await mkdtemp(join(tmpdir(), "nexus-dashboard-e2e-"));
  const port = await freeLocalPort();
  const [system, build] = await Promise.all([
    startLocalSystem({
      // The dashboard's origin is where the browser signs in from (better-auth checks it); heartbeats
      // reach D1 within a second, so the seeded installations show as online.
      vars: { DASHBOARD_ORIGINS: `http://127.0.0.1:${port}`, HEARTBEAT_FLUSH_SECONDS: "1", ...options.vars },
      llmStandIns: options.llmStandIns ?? false,
    }),
    buildDashboardForPages(tmp),
  ]);
  const dashboard = await startDashboard({ build, port, apiUrl: system.url });
  const quiet = () => {};
  const demoCompanyId = (await seedDemo(system.url.origin, system.adminSecret, quiet)).companyId;
  await seedDemoUsers(system.url.origin, system.adminSecret, quiet);
  const browser = await chromium.launch({ executablePath });
  await mkdir(SCREENSHOTS, { recursive: true });

  const api: DashboardFixture["api"] = async (path, init = {}) => {
    const response = await fetch(new URL(path, system.url), {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${system.adminSecret}`, "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path} -> ${response.status}: ${text}`);
    return JSON.parse(text);
  };
  const url = (path: string) => new URL(path, dashboard.url).href;

  return {
    system,
    dashboard,
    browser,
    demoCompanyId,
    api,
    url,
    newContext: async ({ login, viewport = { width: 1280, height: 800 } } = {}) => {
      const context = await browser.newContext({ viewport });
      if (login) {
        // Signs in through the proxy as the page would, so the session cookie is the dashboard's.
        const response = await context.request.post(url("/api/auth/sign-in/email"), {
          data: login,
          headers: { origin: dashboard.url.origin },
        });
        if (!response.ok()) throw new Error(`sign-in as ${login.email} -> ${response.status()}`);
      }
      return context;
    },
    stop: async () => {
      await browser.close();
      await dashboard.stop();
      await system.stop();
      await rm(tmp, { recursive: true, force: true });
      if (!WRITE_SCREENSHOTS) await rm(SCREENSHOTS, { recursive: true, force: true });
    },
  };
}

export { DEMO_LOGINS };

/** A page that records every uncaught error in the app, for `expect(errors).toEqual([])`. */
export async function openPage(context: BrowserContext): Promise<{ page: Page; errors: Error[] }> {
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  return { page, errors };
}

/** Signs in through the sign-in form. */
export async function signIn(page: Page, login: { email: string; password: string }): Promise<void> {
  await page.getByLabel("Email").fill(login.email);
  await page.getByLabel("Password").fill(login.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export const row = (page: Page, text: string) => page.locator("tbody tr", { hasText: text });

/** Where a screenshot named `name` (e.g. "releases.png") goes: docs/screenshots/ under SCREENSHOTS=1. */
export const screenshotPath = (name: string): string => join(SCREENSHOTS, name);

/** The chart inside `scope` plots counts: its value axis ticks on whole numbers only. */
export async function expectCountTicks(scope: Locator): Promise<void> {
  const ticks = await scope.locator("svg .chart-grid text").allTextContents();
  expect(ticks.length).toBeGreaterThan(1);
  for (const tick of ticks) expect(tick).toMatch(/^\d+$/);
}

/** A chart's figures as its screen-reader table lists them: series, time and value per row. */
export const chartRows = (scope: Locator): Promise<{ series: string; time: string; value: string }[]> =>
  scope.locator("figure table tbody tr").evaluateAll((rows) =>
    rows.map((tr) => {
      const [series = "", time = "", value = ""] = [...tr.querySelectorAll("td")].map(
        (cell) => cell.textContent ?? "",
      );
      return { series, time, value };
    }),
  );

/** Declares a document linked to a project and sends its bytes, as the apps do (packages/client). */
export async function uploadProjectText(
  fixture: DashboardFixture,
  companyId: string,
  document: { projectId: string; name: string; text: string; tags: string[] },
): Promise<void> {
  const companyApi = `/api/admin/companies/${companyId}/documents`;
  const bytes = new TextEncoder().encode(document.text);
  const declared = (await fixture.api(companyApi, {
    method: "POST",
    body: {
      name: document.name,
      size: bytes.byteLength,
      tags: document.tags,
      project_id: document.projectId,
    },
  })) as { document: { id: string } };
  const stored = await fetch(new URL(`${companyApi}/${declared.document.id}/content`, fixture.system.url), {
    method: "PUT",
    headers: {
      authorization: `Bearer ${fixture.system.adminSecret}`,
      "content-type": "application/octet-stream",
    },
    body: bytes,
  });
  if (!stored.ok) throw new Error(`uploading ${document.name} -> ${stored.status}: ${await stored.text()}`);
}
