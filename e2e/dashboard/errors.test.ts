// Error tracking in Chromium against the whole local system: the apps' reports go in the way a Sentry
// SDK sends them (envelopes to /api/{projectId}/envelope/ with the DSN's key), through the ingest, the
// errors queue and its consumer — nothing is written to the tenant database by hand. A source map
// uploaded for the release symbolicates the minified frame. The owner reads and filters the issues,
// opens one (stack trace with the original position and, on demand, the minified one; breadcrumbs,
// tags, user, occurrences, releases, events), resolves it in a release, reopens and ignores issues,
// manages DSNs (create, rename, revoke — after which the ingest refuses the DSN), and sees the source
// maps and release health; a member reads but gets no actions; the operator sets a release's
// automatic-halt threshold and sees the rollout halted by health once crashing sessions arrive.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transform } from "esbuild";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_LOGINS, seedDemoReleases, signUpCompanyOwner } from "../../scripts/seed-demo.ts";
import {
  chartRows,
  type DashboardFixture,
  openPage,
  screenshotPath,
  startDashboardFixture,
} from "./fixture.ts";

const MEMBER = {
  name: "Max Member",
  email: "max.member@demo-manufacturing.example",
  password: "max-member-pass",
};
/** Released as 1.4.2 and 1.5.0 by seedDemoReleases; the SDK's release names carry the app's prefix. */
const RELEASE = "desktop@1.4.2";
const NEXT_RELEASE = "desktop@1.5.0";
const MINIFIED_URL = "app:///dist/main.js";

const SOURCE = [
  "export function printLabel(printer: { online: boolean; name: string }): string {",
  "  if (!printer.online) {",
  '    throw new TypeError("Printer offline: label queue stalled");',
  "  }",
  "  return printer.name;",
  "}",
  "",
].join("\n");

interface Project {
  id: number;
  name: string;
  dsn: string;
  public_key: string;
  revoked_at: string | null;
}
interface Issue {
  id: string;
  title: string;
  status: string;
  resolved_in_release: string | null;
  times_seen: number;
  users_seen: number;
  project_id: number;
}
interface ReleaseView {
  id: string;
  version: string;
  health_halt_below: number | null;
  health_min_sessions: number;
  halted_by_health_at: string | null;
  rollout: { state: string };
}

let fixture: DashboardFixture;
let companyId: string;
let owner: BrowserContext;
let member: BrowserContext;
let operator: BrowserContext;
let desktop: Project;
let mobile: Project;
let workDir: string;
/** Where the minified bundle throws (1-based, as stack traces count). */
let minified: { line: number; column: number };

const companyApi = (path: string) => `/api/admin/companies/${companyId}/${path}`;
const hex32 = () => randomUUID().replaceAll("-", "");
const seconds = (ms = Date.now()) => ms / 1000;

/** One envelope as a Sentry SDK sends it, authenticated with the DSN's public key. */
async function sendEnvelope(
  project: Project,
  items: { type: string; payload: unknown }[],
): Promise<Response> {
  const header = { sent_at: new Date().toISOString(), dsn: project.dsn };
  const body = [
    JSON.stringify(header),
    ...items.flatMap((item) => [JSON.stringify({ type: item.type }), JSON.stringify(item.payload)]),
  ].join("\n");
  return fetch(new URL(`/api/${project.id}/envelope/`, fixture.system.url), {
    method: "POST",
    headers: {
      "content-type": "application/x-sentry-envelope",
      "x-sentry-auth": `Sentry sentry_version=7, sentry_client=sentry.javascript.electron/6.0.0, sentry_key=${project.public_key}`,
    },
    body,
  });
}

async function send(project: Project, items: { type: string; payload: unknown }[]): Promise<void> {
  const response = await sendEnvelope(project, items);
  expect(response.status, await response.clone().text()).toBe(200);
}

/** What every event of an Electron app's SDK carries, at `level` in `release`. */
const eventOf = (level: string, release: string) => ({
  event_id: hex32(),
  timestamp: seconds(),
  platform: "javascript",
  level,
  release,
  environment: "production",
});

function printerEvent(user: { id: string; email: string }) {
  return {
    ...eventOf("error", RELEASE),
    exception: {
      values: [
        {
          type: "TypeError",
          value: "Printer offline: label queue stalled",
          mechanism: { type: "onunhandledrejection", handled: false },
          stacktrace: {
            // Outermost first, as Sentry sends them: a library frame, then the app's minified one.
            frames: [
              {
                function: "drain",
                abs_path: "app:///node_modules/print-queue/index.js",
                filename: "app:///node_modules/print-queue/index.js",
                lineno: 41,
                colno: 12,
                in_app: false,
              },
              {
                function: "a",
                abs_path: MINIFIED_URL,
                filename: MINIFIED_URL,
                lineno: minified.line,
                colno: minified.column,
                in_app: true,
              },
            ],
          },
        },
      ],
    },
    breadcrumbs: {
      values: [
        { timestamp: seconds() - 5, category: "ui.click", message: "button#print-label", level: "info" },
        { timestamp: seconds() - 1, category: "printer", message: "zebra-1 went offline", level: "warning" },
      ],
    },
    tags: { printer: "zebra-1", os: "Windows 11" },
    user,
    sdk: { name: "sentry.javascript.electron", version: "6.0.0" },
  };
}

function session(release: string, did: string, status: "exited" | "crashed", errors = 0) {
  const now = new Date().toISOString();
  return {
    type: "session",
    payload: {
      sid: randomUUID(),
      did,
      init: true,
      started: now,
      timestamp: now,
      status,
      errors,
      attrs: { release, environment: "production" },
    },
  };
}

/** Polls `read` until `done` says yes: the queue consumer works in the background. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const issues = async () =>
  ((await fixture.api(companyApi("error-issues?limit=100"))) as { issues: Issue[] }).issues;
const issueTitled = async (start: string): Promise<Issue> => {
  const found = (await issues()).find((issue) => issue.title.startsWith(start));
  if (!found) throw new Error(`no issue titled ${start}`);
  return found;
};
const release = async (version: string): Promise<ReleaseView> => {
  const { releases } = (await fixture.api("/api/admin/releases?limit=100")) as { releases: ReleaseView[] };
  const found = releases.find((candidate) => candidate.version === version);
  if (!found) throw new Error(`no release ${version}`);
  return found;
};

beforeAll(async () => {
  fixture = await startDashboardFixture();
  companyId = fixture.demoCompanyId;
  workDir = await mkdtemp(join(tmpdir(), "nexus-errors-e2e-"));
  await seedDemoReleases(fixture.system.url.origin, fixture.system.adminSecret, workDir, () => {});

  const create = async (body: { name: string; app: string; platform: string }) =>
    ((await fixture.api(companyApi("error-projects"), { method: "POST", body })) as { project: Project })
      .project;
  desktop = await create({ name: "Desktop app", app: "desktop", platform: "electron" });
  mobile = await create({ name: "Field app", app: "mobile", platform: "react-native" });

  // The app's bundle as its build makes it: minified, with a source map uploaded for the release.
  const built = await transform(SOURCE, {
    loader: "ts",
    format: "esm",
    minify: true,
    sourcemap: "external",
    sourcefile: "src/printer.ts",
  });
  const lines = built.code.split("\n");
  const line = lines.findIndex((text) => text.includes("new TypeError"));
  minified = { line: line + 1, column: (lines[line] ?? "").indexOf("new TypeError") + 1 };
  await fixture.api(
    companyApi(
      `error-projects/${desktop.id}/source-maps?release=${encodeURIComponent(RELEASE)}&name=${encodeURIComponent(MINIFIED_URL)}`,
    ),
    { method: "PUT", body: JSON.parse(built.map) },
  );

  const ana = { id: "u-ana", email: "ana@demo-manufacturing.example" };
  const ben = { id: "u-ben", email: "ben@demo-manufacturing.example" };
  for (const user of [ana, ben, ana]) await send(desktop, [{ type: "event", payload: printerEvent(user) }]);
  await send(desktop, [
    {
      type: "event",
      payload: {
        ...eventOf("error", RELEASE),
        exception: {
          values: [{ type: "RangeError", value: "Invalid label count: -1", stacktrace: { frames: [] } }],
        },
        user: ana,
      },
    },
  ]);
  await send(mobile, [
    {
      type: "event",
      payload: {
        ...eventOf("warning", "field@3.0.1"),
        message: "Sync failed for job 4711",
      },
    },
  ]);
  // Ten sessions of 1.4.2 on four devices, one of which crashed: 90 % crash-free sessions, 75 % users.
  await send(desktop, [
    ...["d1", "d2", "d3", "d1", "d2", "d3", "d1", "d2", "d3"].map((did) => session(RELEASE, did, "exited")),
    session(RELEASE, "d4", "crashed", 1),
  ]);

  await eventually(
    issues,
    (list) => list.length === 3 && list.some((issue) => issue.times_seen === 3),
    "the consumer did not store the issues",
  );
  await eventually(
    async () =>
      (
        (await fixture.api(companyApi("release-health"))) as {
          releases: { release: string; sessions: number }[];
        }
      ).releases,
    (list) => list.some((entry) => entry.release === RELEASE && entry.sessions === 10),
    "the consumer did not count the sessions",
  );

  await fixture.api(companyApi("invitations"), {
    method: "POST",
    body: { email: MEMBER.email, role: "member" },
  });
  await signUpCompanyOwner(fixture.system.url.origin, fixture.system.adminSecret, MEMBER);
  owner = await fixture.newContext({ login: DEMO_LOGINS.owner });
  member = await fixture.newContext({ login: MEMBER });
  operator = await fixture.newContext({ login: DEMO_LOGINS.operator });
}, 300_000);

/** The company's page, then its Errors tab as a person finds it (shown once the role is known). */
async function openErrors(context: BrowserContext) {
  const opened = await openPage(context);
  await opened.page.goto(fixture.url(`/companies/${companyId}`));
  await opened.page
    .getByRole("navigation", { name: /sections$/ })
    .getByRole("link", { name: "Errors", exact: true })
    .click();
  await opened.page.getByRole("heading", { name: "Issues", exact: true }).waitFor();
  return opened;
}

afterAll(async () => {
  await fixture?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

it("the owner filters and sorts the issues, reads one symbolicated, resolves it in a release and reopens it", {
  timeout: 120_000,
}, async () => {
  const { page, errors } = await openErrors(owner);
  const rows = page.getByTestId("error-issue-row");
  await expect.poll(() => rows.count()).toBe(3);
  const printerRow = rows.filter({ hasText: "Printer offline" });
  await printerRow.getByText("Desktop app · javascript").waitFor();
  expect(await printerRow.locator("td").nth(1).textContent()).toBe("3");
  expect(await printerRow.locator("td").nth(2).textContent()).toBe("2");
  expect(await printerRow.textContent()).toContain(RELEASE);

  // Filters and sorting live in the address and reach the API.
  const listed = page.waitForRequest((request) => request.url().includes(`project_id=${mobile.id}`));
  await page.getByLabel("Project").selectOption({ label: "Field app" });
  await listed;
  await expect.poll(() => rows.count()).toBe(1);
  expect(await rows.first().textContent()).toContain("Sync failed for job 4711");
  expect(page.url()).toContain(`project=${mobile.id}`);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect.poll(() => rows.count()).toBe(3);
  await page.getByLabel("Sort by").selectOption({ label: "Events" });
  await expect.poll(() => page.url()).toContain("sort=times_seen");
  await expect.poll(async () => rows.first().textContent()).toContain("Printer offline");
  await page.screenshot({ path: screenshotPath("errors-issues.png"), fullPage: true });

  // The issue: its figures, the stack trace with the original file and line from the source map.
  await printerRow.getByRole("link", { name: /Printer offline/ }).click();
  await page.getByRole("heading", { name: "TypeError: Printer offline: label queue stalled" }).waitFor();
  expect(await page.getByTestId("issue-events").textContent()).toBe("3");
  expect(await page.getByTestId("issue-users").textContent()).toBe("2");
  const positions = await page.getByTestId("frame-position").allTextContents();
  // Most recent call first: the app's own (symbolicated) frame, then the library's.
  expect(positions[0]).toMatch(/printer\.ts:3(:\d+)?$/);
  expect(positions[1]).toBe("app:///node_modules/print-queue/index.js:41:12");
  const appFrame = page.locator(".errors-frame-app");
  expect(await appFrame.count()).toBe(1);
  await appFrame.getByText("In app").waitFor();
  expect(await appFrame.getByTestId("frame-context").locator("[aria-current]").textContent()).toContain(
    'throw new TypeError("Printer offline: label queue stalled")',
  );
  expect(await page.getByTestId("frame-minified").count()).toBe(0);
  await page.getByRole("button", { name: "Show minified positions" }).click();
  expect(await page.getByTestId("frame-minified").textContent()).toBe(
    `minified: ${MINIFIED_URL}:${minified.line}:${minified.column}`,
  );
  const crumbs = page.locator(".errors-breadcrumbs tbody tr");
  expect(await crumbs.count()).toBe(2);
  expect(await crumbs.nth(1).textContent()).toContain("zebra-1 went offline");
  const tags = page.getByRole("region", { name: "Tags" }).first();
  expect(await tags.textContent()).toContain("printer");
  await page.getByRole("region", { name: "User" }).getByText("ana@demo-manufacturing.example").waitFor();
  // Occurrences: today's bucket holds the three events (the chart's screen-reader table).
  const occurrences = page.getByRole("region", { name: "Occurrences" });
  const counts = (await chartRows(occurrences)).map((entry) => Number(entry.value));
  expect(counts.reduce((sum, value) => sum + value, 0)).toBe(3);
  await page.getByRole("region", { name: "Releases" }).getByRole("rowheader", { name: RELEASE }).waitFor();
  await expect.poll(() => page.getByTestId("error-event-row").count()).toBe(3);
  await page.screenshot({ path: screenshotPath("errors-issue.png"), fullPage: true });

  // Resolved in the next release: the API keeps the release; the default list no longer has it.
  const issue = await issueTitled("TypeError");
  await page.getByRole("button", { name: "Resolve in a release…" }).click();
  await page.getByLabel("Fixed in release").fill(NEXT_RELEASE);
  await page.getByRole("button", { name: "Resolve in this release" }).click();
  await page
    .getByTestId("issue-status")
    .filter({ hasText: `Resolved in ${NEXT_RELEASE}` })
    .waitFor();
  expect(await issueTitled("TypeError")).toMatchObject({
    id: issue.id,
    status: "resolved",
    resolved_in_release: NEXT_RELEASE,
  });
  await page.getByRole("button", { name: "Reopen" }).click();
  await page.getByTestId("issue-status").filter({ hasText: "Unresolved" }).waitFor();
  expect((await issueTitled("TypeError")).status).toBe("unresolved");

  // Ignoring the RangeError takes it off the default list; the Ignored state lists it.
  await page.getByRole("link", { name: "Issues", exact: true }).first().click();
  await rows.filter({ hasText: "RangeError" }).getByRole("link").click();
  await page.getByRole("button", { name: "Ignore" }).click();
  await page.getByTestId("issue-status").filter({ hasText: "Ignored" }).waitFor();
  expect((await issueTitled("RangeError")).status).toBe("ignored");
  await page
    .getByRole("navigation", { name: "Error tracking" })
    .getByRole("link", { name: "Issues" })
    .click();
  await expect.poll(() => rows.count()).toBe(2);
  await page.getByLabel("State").selectOption({ label: "Ignored" });
  await expect.poll(() => rows.count()).toBe(1);
  expect(await rows.first().textContent()).toContain("RangeError");
  expect(errors).toEqual([]);
});

it("the owner creates, renames and revokes a DSN (the ingest then refuses it) and sees the source maps", {
  timeout: 90_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}/errors/dsns`));
  const projectRows = page.getByTestId("error-project-row");
  await expect.poll(() => projectRows.count()).toBe(2);
  const desktopRow = projectRows.filter({ hasText: "Desktop app" });
  await desktopRow.getByText(desktop.dsn).waitFor();
  await desktopRow.getByText("4 events").first().waitFor();

  await page.getByRole("button", { name: "New project" }).click();
  const form = page.getByRole("form", { name: "New error-tracking project" });
  await form.getByLabel("Name").fill("Kiosk");
  await form.getByLabel("App").selectOption({ label: "Other" });
  await form.getByLabel("Platform").fill("javascript");
  await form.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("status").filter({ hasText: "“Kiosk” is created" }).waitFor();
  const { projects } = (await fixture.api(companyApi("error-projects"))) as { projects: Project[] };
  const kiosk = projects.find((project) => project.name === "Kiosk");
  expect(kiosk).toMatchObject({ app: "other", platform: "javascript", revoked_at: null });
  if (!kiosk) throw new Error("Kiosk was not created");
  // By its id: while it is renamed, its name is in a field, not in the row's text.
  const kioskRow = projectRows.filter({ hasText: `· #${kiosk.id}` });
  await kioskRow.getByText(kiosk.dsn).waitFor();

  await kioskRow.getByRole("button", { name: "Rename Kiosk" }).click();
  await kioskRow.getByLabel("New name").fill("Kiosk app");
  await kioskRow.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").filter({ hasText: "Renamed to “Kiosk app”" }).waitFor();
  await page.screenshot({ path: screenshotPath("errors-dsns.png"), fullPage: true });

  const renamed = kioskRow.filter({ hasText: "Kiosk app" });
  await renamed.getByRole("button", { name: "Revoke Kiosk app" }).click();
  await renamed.getByRole("button", { name: "Yes, revoke" }).click();
  await renamed.getByText(/^Revoked /).waitFor();
  const after = (await fixture.api(companyApi("error-projects"))) as { projects: Project[] };
  expect(after.projects.find((project) => project.id === kiosk.id)).toMatchObject({
    name: "Kiosk app",
    revoked_at: expect.any(String),
  });
  const refused = await sendEnvelope(kiosk, [
    { type: "event", payload: { event_id: hex32(), message: "hi" } },
  ]);
  expect([401, 403]).toContain(refused.status);

  await page
    .getByRole("navigation", { name: "Error tracking" })
    .getByRole("link", { name: "Source maps" })
    .click();
  await page.getByLabel("Project").selectOption({ label: "Desktop app" });
  const mapRow = page.getByTestId("source-map-row");
  await mapRow.filter({ hasText: "~/dist/main.js" }).filter({ hasText: RELEASE }).waitFor();
  expect(await page.getByTestId("source-map-command").textContent()).toContain(
    `nexus sourcemaps upload dist \\\n  --company '${companyId}' --project ${desktop.id} --release '${RELEASE}'`,
  );
  expect(errors).toEqual([]);
});

it("a member reads the issues but is offered no state changes and no DSN management", {
  timeout: 60_000,
}, async () => {
  const { page, errors } = await openErrors(member);
  const rows = page.getByTestId("error-issue-row");
  await rows.filter({ hasText: "Printer offline" }).getByRole("link").click();
  await page.getByRole("heading", { name: /^TypeError: Printer offline/ }).waitFor();
  await page.getByTestId("frame-position").first().waitFor();
  expect(await page.getByRole("button", { name: /^Resolve|^Ignore|^Reopen/ }).count()).toBe(0);
  // At 768 px the stack trace, tables and chart stay inside the page (tables scroll in their panel).
  await page.setViewportSize({ width: 768, height: 1000 });
  expect(await page.locator("html").evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(768);
  await page.getByRole("navigation", { name: "Error tracking" }).getByRole("link", { name: "DSNs" }).click();
  await page.getByTestId("error-project-row").first().waitFor();
  expect(await page.getByRole("button", { name: /New project|Revoke|Rename/ }).count()).toBe(0);
  expect(errors).toEqual([]);
});

it("the owner sees crash-free sessions and users per release on the Releases screen", {
  timeout: 60_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}/releases`));
  const health = page.getByRole("region", { name: "Release health" });
  const row = health.getByTestId("release-health-row").filter({ hasText: RELEASE });
  await row.waitFor();
  const cells = await row.locator("td").allTextContents();
  expect(cells.slice(0, 4)).toEqual(["90.00 %", "75.00 %", "10", "1"]);
  await page.screenshot({ path: screenshotPath("company-release-health.png"), fullPage: true });
  expect(errors).toEqual([]);
});

it("the operator sets a release's automatic halt, and the rollout halts once its crash-free sessions drop", {
  timeout: 120_000,
}, async () => {
  const target = await release("1.5.0");
  const { page, errors } = await openPage(operator);
  await page.goto(fixture.url(`/platform/releases/${target.id}`));
  const panel = page.getByRole("region", { name: "Health", exact: true });
  await panel.getByText("No session of 1.5.0 reported yet", { exact: false }).waitFor();
  await panel.getByText("Off: the rollout never halts by itself.").waitFor();
  await panel.getByLabel("Halt below (crash-free sessions, %)").fill("95");
  await panel.getByLabel("After at least (sessions)").fill("5");
  await panel.getByRole("button", { name: "Save threshold" }).click();
  await panel.getByText("Saved.").waitFor();
  expect(await release("1.5.0")).toMatchObject({ health_halt_below: 95, health_min_sessions: 5 });

  // Six sessions of 1.5.0, two crashed: 66.67 % crash-free, below 95 % after at least 5 sessions.
  await send(desktop, [
    ...["e1", "e2", "e3", "e4"].map((did) => session(NEXT_RELEASE, did, "exited")),
    session(NEXT_RELEASE, "e5", "crashed", 1),
    session(NEXT_RELEASE, "e6", "crashed", 1),
  ]);
  const halted = await eventually(
    () => release("1.5.0"),
    (value) => value.halted_by_health_at !== null,
    "the rollout did not halt",
  );
  expect(halted.rollout.state).toBe("halted");

  await page.reload();
  await page
    .getByTestId("halted-by-health")
    .getByText(/^Halted by release health /)
    .waitFor();
  await page.getByTestId("release-rollout").getByText("Halted by release health").waitFor();
  const figures = await page.getByTestId("release-health").textContent();
  expect(figures).toContain("66.67 %");
  expect(figures).toContain("Sessions6");
  await page.screenshot({ path: screenshotPath("release-health.png"), fullPage: true });
  expect(errors).toEqual([]);
});
