// The update screens in Chromium against the whole local system (fixture.ts): an operator creates a
// release from an electron-builder build, uploads it from the browser (one file large enough to go
// in parts), publishes it and moves its staged rollout, and the feed follows; the demo owner sees the
// company's Releases section and deactivates an installation.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Release } from "../../packages/contracts/src/releases/schemas.ts";
import { type DemoRelease, makeDemoRelease } from "../../scripts/demo-release.ts";
import { DEMO_COMPANY, DEMO_INSTALLATIONS } from "../../scripts/seed-demo.ts";
import {
  type DashboardFixture,
  DEMO_LOGINS,
  expectCountTicks,
  openPage,
  row,
  screenshotPath,
  startDashboardFixture,
} from "./fixture.ts";

const VERSION = "2.0.0";
/** Not in any channel file: declared with the platform the page guesses, and big enough for parts. */
const EXTRA_FILE = `Nexus-${VERSION}-armv7l.AppImage`;
const EXTRA_SIZE = 30 * 1024 * 1024;
/** electron-updater's cohort is the staging id's last four bytes over 0xffffffff: ~0 is inside any rollout. */
const STAGING_INSIDE = "4a4f5e2c-8d1b-4c3e-9f7a-00000000ffff";
const STAGING_OUTSIDE = "4a4f5e2c-8d1b-4c3e-9f7a-0000fffffff0";

let fixture: DashboardFixture;
let buildDir: string;
let build: DemoRelease;
let operator: BrowserContext;
let owner: BrowserContext;

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), "nexus-release-e2e-"));
  [fixture, build] = await Promise.all([
    startDashboardFixture(),
    makeDemoRelease({
      dir: buildDir,
      version: VERSION,
      seed: "nexus-e2e",
      releaseName: `Nexus ${VERSION}`,
      releaseNotes: "Faster sync.",
    }),
  ]);
  await writeFile(join(buildDir, EXTRA_FILE), randomBytes(EXTRA_SIZE));
  // Sign-in is rate limited per address: one signed-in browser per person for the whole file.
  operator = await fixture.newContext({ login: DEMO_LOGINS.operator });
  owner = await fixture.newContext({ login: DEMO_LOGINS.owner });
}, 180_000);

afterAll(async () => {
  await fixture?.stop();
  if (buildDir) await rm(buildDir, { recursive: true, force: true });
});

async function findRelease(): Promise<Release | undefined> {
  const { releases } = (await fixture.api(`/api/admin/releases?channel=stable&version=${VERSION}`)) as {
    releases: Release[];
  };
  return releases[0];
}

/** Nothing on the page is wider than a tablet's screen, its tables included. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  await page.setViewportSize({ width: 768, height: 1024 });
  expect(await page.locator("html").evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(768);
  const overflows = await page
    .locator(".table-scroll")
    .evaluateAll((tables) => tables.map((table) => table.scrollWidth - table.clientWidth));
  expect(overflows.filter((overflow) => overflow > 0)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** The hub reports the versions it saw through the telemetry queue into the company's database. */
async function untilAdoptionRecorded(): Promise<void> {
  await expect
    .poll(
      async () => {
        const { daily } = (await fixture.api(`/api/admin/companies/${fixture.demoCompanyId}/adoption`)) as {
          daily: unknown[];
        };
        return daily.length;
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBeGreaterThan(0);
}

/** The demo company's channel file as electron-updater asks for it, from inside or outside the rollout. */
async function channelFile(stagingId: string): Promise<{ status: number; text: string }> {
  const { installation } = await fixture.system.validateMachine({
    company_code: DEMO_COMPANY.company_code,
    ...DEMO_INSTALLATIONS[0],
  });
  const response = await fetch(
    new URL(`/api/updates/latest.yml?company_code=${DEMO_COMPANY.company_code}`, fixture.system.url),
    { headers: { authorization: `Bearer ${installation.token}`, "x-user-staging-id": stagingId } },
  );
  return { status: response.status, text: await response.text() };
}

it("lets an operator create, upload, publish and stage a release, and the feed follows", {
  timeout: 180_000,
}, async () => {
  const { page, errors } = await openPage(operator);
  await page.goto(fixture.url("/platform/releases"));
  await page.getByRole("heading", { level: 1, name: "Releases" }).waitFor();
  await page.getByRole("heading", { name: "No releases yet" }).waitFor();

  // A channel of its own, following stable.
  await page.getByLabel("Name", { exact: true }).fill("e2e_ring");
  await page.getByLabel("Description").fill("Early adopters");
  await page.getByRole("button", { name: "Add channel" }).click();
  await page.getByRole("status").filter({ hasText: "Channel e2e_ring added." }).waitFor();
  await row(page, "e2e_ring").getByText("stable").waitFor();
  const { channels } = (await fixture.api("/api/admin/channels")) as {
    channels: { name: string; parent: string | null }[];
  };
  expect(channels).toContainEqual(expect.objectContaining({ name: "e2e_ring", parent: "stable" }));

  // The build's whole output folder, channel files included.
  await page.getByRole("link", { name: "New release" }).click();
  await page.getByRole("heading", { level: 1, name: "New release" }).waitFor();
  await page
    .getByLabel("Build files")
    .setInputFiles([...build.files.map((file) => file.path), join(buildDir, EXTRA_FILE)]);
  await page.getByRole("table").getByText(EXTRA_FILE).waitFor();
  // The channel files filled in the version and name; the extra file's platform is guessed and offered.
  expect(await page.getByLabel("Version", { exact: true }).inputValue()).toBe(VERSION);
  expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe(`Nexus ${VERSION}`);
  expect(await page.getByLabel(`Platform of ${EXTRA_FILE}`).inputValue()).toBe("linux-armv7l");
  await page.screenshot({ path: screenshotPath("release-new.png"), fullPage: true });
  await expectNoSidewaysScroll(page);
  const uploads: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/files/"))
      uploads.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  await page.getByRole("button", { name: "Create and upload" }).click();

  await page.getByRole("heading", { level: 1, name: new RegExp(`^${VERSION}`) }).waitFor({ timeout: 90_000 });
  const draft = await findRelease();
  if (!draft) throw new Error("no release was created");
  expect(new URL(page.url()).pathname).toBe(`/platform/releases/${draft.id}`);
  expect(draft.status).toBe("draft");
  const declared = build.files.filter((file) => file.kind !== "channel-file");
  expect(draft.files.map((file) => file.name).sort()).toEqual(
    [...declared.map((file) => file.name), EXTRA_FILE].sort(),
  );
  expect(draft.files.every((file) => file.uploaded)).toBe(true);
  expect(draft.files.find((file) => file.name === EXTRA_FILE)).toMatchObject({
    platform: "linux-armv7l",
    size: EXTRA_SIZE,
  });
  // Small files went in one PUT each, the large one in parts of the API's size (16 MiB: two parts).
  const extraPath = `/api/admin/releases/${draft.id}/files/${EXTRA_FILE}`;
  expect(uploads.filter((request) => request.startsWith(`PUT ${extraPath}/multipart/`))).toHaveLength(2);
  expect(uploads).toContain(`POST ${extraPath}/multipart`);
  expect(uploads.filter((request) => /^PUT [^ ]+\/files\/[^/]+$/.test(request))).toHaveLength(
    draft.files.length - 1,
  );
  await page.getByText(`${draft.files.length} of ${draft.files.length} uploaded`).waitFor();

  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.getByTestId("release-rollout").filter({ hasText: "Everyone" }).waitFor();
  expect(await findRelease()).toMatchObject({
    status: "published",
    rollout: { state: "active", percent: 100 },
  });

  // The slider, by keyboard: to 0, then 25 steps up.
  const slider = page.getByRole("slider", { name: "Rollout percentage" });
  await slider.focus();
  await page.keyboard.press("Home");
  for (let step = 0; step < 25; step++) await page.keyboard.press("ArrowRight");
  expect(await page.getByRole("spinbutton", { name: "Rollout percentage, as a number" }).inputValue()).toBe(
    "25",
  );
  await page.getByRole("button", { name: "Apply" }).click();
  await page.getByTestId("release-rollout").filter({ hasText: "Rolling out · 25 %" }).waitFor();
  expect(await findRelease()).toMatchObject({
    rollout: { state: "active", percent: 25, effective_percent: 25 },
  });

  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByTestId("release-rollout").filter({ hasText: "Paused at 25 %" }).waitFor();
  await page.getByRole("button", { name: "Resume" }).waitFor();
  expect(await findRelease()).toMatchObject({ rollout: { state: "paused", percent: 25 } });

  // The feed: paused at 25 %, an installation inside the cohort is offered 2.0.0, one outside is not.
  const inside = await channelFile(STAGING_INSIDE);
  expect(inside.status).toBe(200);
  expect(inside.text).toContain(`version: "${VERSION}"`);
  expect(inside.text).toContain(`url: "Nexus-Setup-${VERSION}.exe"`);
  const outside = await channelFile(STAGING_OUTSIDE);
  expect(outside.status).toBe(404);
  expect(outside.text).toContain("RELEASE_NOT_FOUND");

  // Halting asks first.
  await page.getByRole("button", { name: "Halt…" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  expect(await findRelease()).toMatchObject({ rollout: { state: "paused" } });
  await expectNoSidewaysScroll(page);

  await page.getByRole("link", { name: "Releases", exact: true }).first().click();
  await page.getByRole("heading", { level: 1, name: "Releases" }).waitFor();
  await row(page, VERSION).getByText("Paused at 25 %").waitFor();
  await page.getByRole("radio", { name: "Draft" }).check();
  await page.getByRole("heading", { name: "No release matches these filters" }).waitFor();
  await page.getByRole("radio", { name: "Published" }).check();
  await row(page, VERSION).waitFor();
  await page.screenshot({ path: screenshotPath("platform-releases.png"), fullPage: true });
  await expectNoSidewaysScroll(page);
  expect(errors).toEqual([]);
});

it("shows the owner the releases the company receives with their rollout and its own checks", {
  timeout: 60_000,
}, async () => {
  await untilAdoptionRecorded();
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${fixture.demoCompanyId}/releases`));
  await page.getByRole("heading", { level: 1, name: DEMO_COMPANY.company_name }).waitFor();
  await page.getByTestId("update-channel").filter({ hasText: "stable" }).waitFor();
  const adoption = page.getByRole("region", { name: "Update adoption" });
  await adoption.getByRole("img", { name: /Installations per app version per day/ }).waitFor();
  await page.getByRole("region", { name: "Versions in use" }).getByText("1.4.2").waitFor();
  // The release the company receives, its rollout, and the company's own checks (the feed requests
  // of the first test, flushed to D1 by the company's hub).
  const release = row(page, VERSION);
  await release.getByText("Paused at 25 %").waitFor();
  await expect
    .poll(
      async () => {
        await page.reload();
        await release.waitFor();
        return release.locator("td").nth(3).textContent();
      },
      { timeout: 30_000, interval: 1_000 },
    )
    .not.toBe("0");
  // Titled by what it plots, and counted on whole numbers.
  const checks = page.getByRole("region", { name: "Update checks and downloads" });
  await checks
    .getByRole("img", { name: /update checks, full downloads and range requests per day/ })
    .waitFor();
  await expectCountTicks(checks);
  await page.screenshot({ path: screenshotPath("company-releases.png"), fullPage: true });
  await expectNoSidewaysScroll(page);
  expect(errors).toEqual([]);

  const { page: operatorPage, errors: operatorErrors } = await openPage(operator);
  await operatorPage.goto(fixture.url("/platform/releases"));
  // The release's own page shows the check in its adoption, per day and per company.
  await row(operatorPage, VERSION).getByRole("link", { name: VERSION }).click();
  // The chart of checks and downloads is titled so (it once read "Adoption"), with whole-number ticks.
  const releaseChecks = operatorPage.getByRole("region", { name: "Update checks and downloads" });
  await releaseChecks
    .getByRole("img", { name: /Update checks, full downloads and range requests/ })
    .waitFor();
  await expectCountTicks(releaseChecks);
  expect(await operatorPage.getByRole("heading", { name: "Adoption", exact: true }).count()).toBe(0);
  await row(operatorPage, DEMO_COMPANY.company_name).waitFor();
  await operatorPage.screenshot({ path: screenshotPath("release-rollout.png"), fullPage: true });
  expect(operatorErrors).toEqual([]);
});

it("lets the owner deactivate an installation, freeing its seat", { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(owner);
  const target = DEMO_INSTALLATIONS[2];
  await page.goto(fixture.url(`/companies/${fixture.demoCompanyId}`));
  const seats = page.getByRole("region", { name: "Seats" });
  await seats.getByText(`${DEMO_INSTALLATIONS.length} / ${DEMO_COMPANY.max_installations}`).waitFor();
  await page
    .getByRole("region", { name: "Update adoption" })
    .getByRole("img", { name: /Installations per app version per day/ })
    .waitFor();
  await page.getByTestId("online-count").waitFor();

  await page.getByRole("button", { name: `Deactivate ${target.hostname}` }).click();
  // Asked first; Cancel leaves it alone.
  await page.getByText("Its seat is freed").waitFor();
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: `Deactivate ${target.hostname}` }).click();
  const confirm = page.getByRole("button", { name: "Deactivate", exact: true });
  await page.screenshot({ path: screenshotPath("installation-deactivate.png") });
  // The confirmation took the focus: Enter answers it.
  await expect
    .poll(() => confirm.evaluate((element) => element === element.ownerDocument.activeElement))
    .toBe(true);
  await page.keyboard.press("Enter");

  await page
    .getByRole("status")
    .filter({ hasText: `${target.hostname} was deactivated` })
    .waitFor();
  await row(page, target.hostname).getByText("Deactivated").waitFor();
  await seats.getByText(`${DEMO_INSTALLATIONS.length - 1} / ${DEMO_COMPANY.max_installations}`).waitFor();
  const { installations } = (await fixture.api(
    `/api/admin/companies/${fixture.demoCompanyId}/installations?status=inactive`,
  )) as { installations: { hostname: string; is_active: boolean }[] };
  expect(installations).toEqual([expect.objectContaining({ hostname: target.hostname, is_active: false })]);
  const { company } = (await fixture.api(`/api/admin/companies/${fixture.demoCompanyId}`)) as {
    company: { active_installations: number };
  };
  expect(company.active_installations).toBe(DEMO_INSTALLATIONS.length - 1);
  await expectNoSidewaysScroll(page);
  expect(errors).toEqual([]);
});
