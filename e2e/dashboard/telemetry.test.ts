// The machines and audit log screens in Debian's Chromium against the whole local system
// (fixture.ts): demo telemetry sent through POST /api/telemetry and rolled up by workers/consumers,
// the fleet and its filters, a machine's chart (resolution, presets, zoom, drag, pan, all in the
// address and in the API request), and the audit log's filters and infinite scroll.
import type { BrowserContext, Locator, Page, Request } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_COMPANY, DEMO_INSTALLATIONS, DEMO_LOGINS } from "../../scripts/seed-demo.ts";
import { DEMO_MACHINES, seedDemoTelemetry } from "../../scripts/seed-telemetry.ts";
import { type DashboardFixture, openPage, row, screenshotPath, startDashboardFixture } from "./fixture.ts";

const HOUR = 3_600_000;
const API_KEYS = 7;
const SETTINGS_CHANGES = 24;
/** A raw id as the API makes them (UUIDv7). */
const RAW_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface FleetMachine {
  id: string;
  name: string;
  health_score: number | null;
}
interface SeriesAnswer {
  points: { ts: string; avg: number; min: number; max: number; count: number }[];
}

let fixture: DashboardFixture;
let companyId: string;
let fleet: FleetMachine[];
/** The owner's signed-in browser, shared by both tests (sign-in is rate limited per IP). */
let owner: BrowserContext;

beforeAll(async () => {
  fixture = await startDashboardFixture();
  companyId = fixture.demoCompanyId;
  const [first] = DEMO_INSTALLATIONS;
  const joined = await fixture.system.validateMachine({ company_code: DEMO_COMPANY.company_code, ...first });
  const token = joined.installation?.token;
  if (!token) throw new Error("the demo installation got no token");
  await seedDemoTelemetry(fixture.system.url.origin, fixture.system.adminSecret, companyId, token, () => {});
  fleet = await untilRolledUp();
  owner = await fixture.newContext({ login: DEMO_LOGINS.owner });
}, 240_000);

afterAll(async () => {
  await fixture?.stop();
});

/** The queue and workers/consumers roll samples up behind the API's 202: wait for all of them. */
async function untilRolledUp(): Promise<FleetMachine[]> {
  const expected = 6 * 60; // seed-telemetry: six hours of one sample a minute per metric
  const from = new Date(Date.now() - 7 * HOUR).toISOString();
  // Generous: on a loaded 2-core machine the queue and the consumer can lag far behind.
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const { machines } = (await fixture.api(`/api/admin/companies/${companyId}/fleet`)) as {
      machines: FleetMachine[];
    };
    const counts = await Promise.all(
      machines.map(async (machine) => {
        const answer = (await fixture.api(
          `/api/admin/companies/${companyId}/machines/${machine.id}/telemetry?metric=rpm&resolution=hour&from=${from}`,
        )) as SeriesAnswer;
        return answer.points.reduce((sum, point) => sum + point.count, 0);
      }),
    );
    if (machines.length === DEMO_MACHINES.length && counts.every((count) => count === expected)) {
      // Health is scored after the roll-ups: read the fleet once more for the final order.
      const settled = (await fixture.api(`/api/admin/companies/${companyId}/fleet`)) as {
        machines: FleetMachine[];
      };
      if (settled.machines.every((machine) => machine.health_score !== null)) return settled.machines;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the demo telemetry was not rolled up in time");
}

/** The chart's request for the action `act` triggers, as the browser sent it. */
async function seriesRequest(page: Page, act: () => Promise<unknown>): Promise<URLSearchParams> {
  const isSeries = (request: Request) => /\/machines\/[^/]+\/telemetry\?/.test(request.url());
  const [request] = await Promise.all([page.waitForRequest(isSeries), act()]);
  return new URL(request.url()).searchParams;
}

/** A count once it has not changed for a second (the first screen may still be filling). */
async function settledCount(locator: Locator): Promise<number> {
  let last = -1;
  for (let stable = 0; stable < 4; ) {
    const count = await locator.count();
    stable = count === last ? stable + 1 : 0;
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return last;
}

/** Where the chart's plot is on screen, scrolled into view (the mouse only reaches what is shown). */
async function plotBox(slider: Locator) {
  await slider.scrollIntoViewIfNeeded();
  const box = await slider.boundingBox();
  if (!box) throw new Error("the chart has no box");
  return box;
}

const address = (page: Page) => new URL(page.url()).searchParams;

/** The same series from the API directly, for what the chart's table must show. */
async function apiSeries(machineId: string, query: URLSearchParams): Promise<SeriesAnswer> {
  return (await fixture.api(
    `/api/admin/companies/${companyId}/machines/${machineId}/telemetry?${query}`,
  )) as SeriesAnswer;
}

const formatReading = (value: number) =>
  value.toLocaleString("en", { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 });

/** The chart's screen-reader table has one row per point of the API's answer, with its figures. */
async function expectTableMatches(page: Page, machineId: string, query: URLSearchParams): Promise<number> {
  const { points } = await apiSeries(machineId, query);
  const rows = page.getByRole("table", { name: /average per/ }).locator("tbody tr");
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(points.length);
  for (const [index, point] of [
    [0, points[0]],
    [points.length - 1, points[points.length - 1]],
  ] as const) {
    if (!point) continue;
    const cells = await rows.nth(index).locator("td").allTextContents();
    expect(cells.slice(2)).toEqual([
      formatReading(point.avg),
      formatReading(point.min),
      formatReading(point.max),
    ]);
  }
  return points.length;
}

it("shows the fleet worst first, a machine's chart, and zooms it by resolution, preset, buttons and drag", {
  timeout: 120_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}/machines`));
  await page.getByRole("heading", { name: "Fleet" }).waitFor();
  const names = page.locator("tbody tr th a");
  await expect.poll(() => names.allTextContents()).toEqual(fleet.map((machine) => machine.name));

  // Filters apply at once and stay in the address.
  await page.getByLabel("Health", { exact: true }).selectOption("ok");
  expect(address(page).get("health")).toBe("ok");
  const healthy = fleet.filter((machine) => machine.health_score === 100).map((machine) => machine.name);
  await expect.poll(() => names.allTextContents()).toEqual(healthy);
  await page.getByLabel("Search", { exact: true }).fill("cnc");
  await expect
    .poll(() => names.allTextContents())
    .toEqual(healthy.filter((name) => name.toLowerCase().includes("cnc")));
  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect.poll(() => names.count()).toBe(DEMO_MACHINES.length);
  await page.screenshot({ path: screenshotPath("machines.png"), fullPage: true });

  // The worst machine's chart: the last day by minute, temperature (a metric with limits) first.
  const worst = fleet[0];
  if (!worst) throw new Error("no machines");
  const opened = await seriesRequest(page, () => row(page, worst.name).getByRole("link").click());
  await page.getByRole("heading", { level: 2, name: worst.name }).waitFor();
  expect(Object.fromEntries(opened)).toMatchObject({ metric: "temperature", resolution: "minute" });
  expect(Date.parse(opened.get("to") ?? "") - Date.parse(opened.get("from") ?? "")).toBe(24 * HOUR);
  const points = await expectTableMatches(page, worst.id, opened);
  expect(points).toBeGreaterThanOrEqual(360);
  await page.getByRole("img", { name: /^temperature, average per minute with min and max/ }).waitFor();

  // The readout: pointing at the chart, and the keyboard on the same slider.
  const slider = page.getByRole("slider", { name: /Read the values of temperature/ });
  const box = await plotBox(slider);
  await page.mouse.move(box.x + box.width * 0.88, box.y + box.height / 2);
  await expect
    .poll(() => slider.getAttribute("aria-valuetext"))
    .toMatch(/UTC: Average [\d.]+ \(min [\d.]+, max/);
  await page.mouse.move(1, 1);
  await expect.poll(() => slider.getAttribute("aria-valuetext")).toBe("No point selected");
  await slider.focus();
  await page.keyboard.press("Home");
  await expect.poll(() => slider.getAttribute("aria-valuenow")).toBe("0");
  await page.keyboard.press("End");
  for (let step = 0; step < 90; step++) await page.keyboard.press("ArrowLeft");
  await expect.poll(() => slider.getAttribute("aria-valuenow")).toBe(String(points - 91));
  await page
    .locator(".chart-readout")
    .filter({ hasText: /UTC: Average/ })
    .waitFor();
  await page.screenshot({ path: screenshotPath("telemetry-chart.png"), fullPage: true });

  // Resolution: the address and the request follow.
  let request = await seriesRequest(page, () =>
    page.getByLabel("Resolution", { exact: true }).selectOption("hour"),
  );
  expect(request.get("resolution")).toBe("hour");
  expect(Object.fromEntries(address(page))).toMatchObject({
    metric: "temperature",
    range: "24h",
    resolution: "hour",
  });
  await expectTableMatches(page, worst.id, request);
  request = await seriesRequest(page, () =>
    page.getByLabel("Resolution", { exact: true }).selectOption("day"),
  );
  expect(request.get("resolution")).toBe("day");
  expect(address(page).get("resolution")).toBe("day");

  // Zooming in on a day by day leaves a point or two: the chart goes finer, to hours.
  const dayFrom = Date.parse(request.get("from") ?? "");
  request = await seriesRequest(page, () => page.getByRole("button", { name: "Zoom in" }).click());
  expect(request.get("resolution")).toBe("hour");
  expect(Date.parse(request.get("to") ?? "") - Date.parse(request.get("from") ?? "")).toBe(12 * HOUR);
  expect(Date.parse(request.get("from") ?? "")).toBe(dayFrom + 6 * HOUR);
  expect(address(page).get("range")).toBeNull();
  expect(address(page).get("from")).toBe(request.get("from"));
  expect(address(page).get("to")).toBe(request.get("to"));
  await expectTableMatches(page, worst.id, request);

  // Panning: half a span earlier.
  const zoomedFrom = Date.parse(request.get("from") ?? "");
  request = await seriesRequest(page, () => page.getByRole("button", { name: "Earlier" }).click());
  expect(Date.parse(request.get("from") ?? "")).toBe(zoomedFrom - 6 * HOUR);

  // A week cannot be charted by minute (the API's 5,000-point limit): that choice is disabled.
  request = await seriesRequest(page, () =>
    page.getByRole("group", { name: "Range" }).getByRole("button", { name: "Last 7 days" }).click(),
  );
  expect(request.get("resolution")).toBe("hour");
  expect(address(page).get("range")).toBe("7d");
  expect(await page.locator("option[value=minute]").isDisabled()).toBe(true);

  // Dragging across the last day's chart zooms to the part selected.
  request = await seriesRequest(page, () =>
    page.getByRole("group", { name: "Range" }).getByRole("button", { name: "Last 24 hours" }).click(),
  );
  await page.getByRole("img", { name: /average per minute/ }).waitFor();
  const plot = await plotBox(slider);
  const dayStart = Date.parse(request.get("from") ?? "");
  request = await seriesRequest(page, async () => {
    await page.mouse.move(plot.x + plot.width * 0.6, plot.y + plot.height / 2);
    await page.mouse.down();
    await page.mouse.move(plot.x + plot.width * 0.9, plot.y + plot.height / 2, { steps: 8 });
    await page.mouse.up();
  });
  const selectedFrom = Date.parse(request.get("from") ?? "");
  const selectedTo = Date.parse(request.get("to") ?? "");
  expect(Math.abs(selectedFrom - (dayStart + 0.6 * 24 * HOUR))).toBeLessThan(15 * 60_000);
  expect(Math.abs(selectedTo - selectedFrom - 0.3 * 24 * HOUR)).toBeLessThan(15 * 60_000);
  expect(address(page).get("from")).toBe(request.get("from"));
  await expectTableMatches(page, worst.id, request);

  // The address is a link: opened afresh, it shows the same chart.
  const link = page.url();
  const reopened = await seriesRequest(page, () => page.goto(link));
  expect(reopened.toString()).toBe(request.toString());

  // Tablet width: nothing scrolls sideways.
  await page.setViewportSize({ width: 768, height: 1024 });
  expect(await page.locator("html").evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(768);
  expect(errors).toEqual([]);
  await page.close();
});

it("filters the audit log by action and loads more entries on scrolling", { timeout: 90_000 }, async () => {
  for (let index = 0; index < SETTINGS_CHANGES; index++) {
    await fixture.api(`/api/admin/companies/${companyId}/settings`, {
      method: "PUT",
      body: { settings: { e2e_shift: `shift-${index}` } },
    });
  }
  for (let index = 0; index < API_KEYS; index++) {
    await fixture.api(`/api/admin/companies/${companyId}/api-keys`, {
      method: "POST",
      body: { name: `e2e key ${index}`, permissions: { installations: ["read"] } },
    });
  }
  const { page, errors } = await openPage(owner);
  // The newest entry is the owner's own change: it shows them by name, not by user id.
  const changed = await page.request.put(fixture.url(`/api/admin/companies/${companyId}/settings`), {
    data: { settings: { e2e_shift: "by the owner" } },
    headers: { origin: fixture.dashboard.url.origin },
  });
  expect(changed.status()).toBe(200);
  await page.goto(fixture.url(`/companies/${companyId}/audit?limit=5`));
  await page.getByRole("heading", { name: "Audit log" }).waitFor();
  const rows = page.locator("tbody tr:not(.audit-details-row)");
  await rows
    .first()
    .filter({ hasText: "company.settings_changed" })
    .getByText(DEMO_LOGINS.owner.name)
    .waitFor();

  // Actors and targets by name: no settings or key row shows a raw id or the operator secret's id.
  const newest = rows.first();
  await newest.getByRole("link", { name: DEMO_COMPANY.company_name }).waitFor();
  const covered = rows.filter({ hasText: /company\.settings_changed|api_key\.created/ });
  await covered.filter({ hasText: "api_key.created" }).first().getByText("Platform operator").waitFor();
  const shown = await covered.allTextContents();
  expect(shown.length).toBeGreaterThan(1);
  expect(shown.filter((text) => RAW_ID.test(text) || text.includes("admin-secret"))).toEqual([]);

  // What the owner's change changed: the field, before and after.
  await newest.getByRole("button", { name: /^Show details of company.settings_changed/ }).click();
  const change = page.getByRole("table", { name: "What changed" }).getByRole("row", { name: /e2e_shift/ });
  await change.getByRole("cell", { name: `shift-${SETTINGS_CHANGES - 1}` }).waitFor();
  await change.getByRole("cell", { name: "by the owner" }).waitFor();
  await newest.getByRole("button", { name: /^Hide details/ }).click();

  // Whatever filled the first screen, scrolling to the end loads more.
  const status = page.getByRole("status").filter({ hasText: /entries/ });
  await status.filter({ hasText: "more below" }).waitFor();
  const before = await settledCount(rows);
  await page.mouse.wheel(0, 20_000);
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(before);

  // The action field offers every action the log holds (from the API, not only the loaded page).
  const { actions } = (await fixture.api(`/api/admin/companies/${companyId}/audit-log/actions`)) as {
    actions: { action: string }[];
  };
  expect(actions.map((entry) => entry.action)).toContain("api_key.created");
  await expect
    .poll(() =>
      page.locator("datalist option").evaluateAll((options) => options.map((o) => o.getAttribute("value"))),
    )
    .toEqual(actions.map((entry) => entry.action));

  // Filtering by action: only those entries, in the address too, and all of them after scrolling.
  await page.mouse.wheel(0, -20_000);
  await page.getByLabel("Action", { exact: true }).fill("api_key.created");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect.poll(() => address(page).get("action")).toBe("api_key.created");
  expect(address(page).get("limit")).toBe("5");
  await page.mouse.wheel(0, 20_000);
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(API_KEYS);
  expect(new Set(await rows.locator("th").allTextContents())).toEqual(new Set(["api_key.created"]));
  const { entries } = (await fixture.api(
    `/api/admin/companies/${companyId}/audit-log?action=api_key.created&limit=200`,
  )) as { entries: { id: string }[] };
  expect(entries).toHaveLength(API_KEYS);
  await expect.poll(() => status.textContent()).toBe(`${API_KEYS} entries`);
  // Every key by its name, linked to the keys screen, made by the platform operator.
  const keyLinks = rows.getByRole("link", { name: /^e2e key \d$/ });
  expect(await keyLinks.count()).toBe(API_KEYS);
  expect(
    new Set(await keyLinks.evaluateAll((links) => links.map((link) => link.getAttribute("href")))),
  ).toEqual(new Set([`/companies/${companyId}/api-keys`]));
  const keyRows = await rows.allTextContents();
  expect(keyRows.every((text) => text.includes("Platform operator"))).toBe(true);
  expect(keyRows.filter((text) => RAW_ID.test(text) || text.includes("admin-secret"))).toEqual([]);

  // An entry's details open in place.
  await page.mouse.wheel(0, -20_000);
  await page
    .getByRole("button", { name: /^Show details of api_key.created/ })
    .first()
    .click();
  const details = page.locator(".audit-details-row");
  await details.getByText(`e2e key ${API_KEYS - 1}`, { exact: true }).waitFor();
  await details.getByText("Request id").waitFor();
  await page.getByRole("button", { name: /^Hide details/ }).waitFor();
  await page.screenshot({ path: screenshotPath("audit-log.png"), fullPage: true });

  // Tablet width: the filters wrap, nothing scrolls sideways.
  await page.setViewportSize({ width: 768, height: 1024 });
  expect(await page.locator("html").evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(768);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Clearing the filters brings every action back.
  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect.poll(() => address(page).get("action")).toBeNull();
  // The newest entries are the keys just made: scroll on until older actions come in.
  await expect
    .poll(
      async () => {
        await page.mouse.wheel(0, 20_000);
        return new Set(await rows.locator("th").allTextContents()).size;
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThan(1);
  expect(errors).toEqual([]);
  await page.close();
});
