// The CRM screens in Chromium against the whole local system (fixture.ts) with the demo CRM data
// (scripts/seed-crm.ts): the pipeline board's moves by drag and drop and by keyboard, the API's
// refusal of an advance with unmet requirements, meeting them from the project page, a move back
// with its reason in the timeline, and a project of another company staying out of sight.

import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Project } from "../../packages/contracts/src/projects/schemas.ts";
import { seedDemoCrm } from "../../scripts/seed-crm.ts";
import { DEMO_LOGINS } from "../../scripts/seed-demo.ts";
import {
  type DashboardFixture,
  openPage,
  screenshotPath,
  startDashboardFixture,
  uploadProjectText,
} from "./fixture.ts";

const RIVAL = { company: "Rival Kitchens", client: "Rival Secret Client", title: "Secret rival refit" };

let fixture: DashboardFixture;
let companyId: string;
let rivalProjectId: string;
/** The owner's signed-in browser, shared by the tests (sign-in is rate limited per IP). */
let owner: BrowserContext;

const companyApi = (path: string) => `/api/admin/companies/${companyId}${path}`;

/** The newest project the demo data put in `stage`. */
async function newestIn(stage: string): Promise<Project> {
  const answer = (await fixture.api(companyApi(`/projects?stage=${stage}&limit=1`))) as {
    projects: Project[];
  };
  const [project] = answer.projects;
  if (!project) throw new Error(`the demo data has no project in ${stage}`);
  return project;
}

async function stageOf(projectId: string): Promise<string> {
  return ((await fixture.api(companyApi(`/projects/${projectId}`))) as { project: Project }).project.stage;
}

beforeAll(async () => {
  fixture = await startDashboardFixture();
  companyId = fixture.demoCompanyId;
  await seedDemoCrm(fixture.system.url.origin, fixture.system.adminSecret, companyId, () => {});

  const rival = await fixture.system.registerCompany({ company_name: RIVAL.company });
  const rivalApi = `/api/admin/companies/${rival.company_id}`;
  const { showroom } = (await fixture.api(`${rivalApi}/showrooms`, {
    method: "POST",
    body: { name: "Rival Showroom", type: "retail" },
  })) as { showroom: { id: string } };
  const { project } = (await fixture.api(`${rivalApi}/projects`, {
    method: "POST",
    body: { title: RIVAL.title, client: { name: RIVAL.client }, showroom_id: showroom.id },
  })) as { project: Project };
  rivalProjectId = project.id;

  owner = await fixture.newContext({ login: DEMO_LOGINS.owner });
}, 180_000);

afterAll(async () => {
  await fixture?.stop();
});

/** Page changes wait on the API (and on 2 busy cores): more than expect.poll's default second. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const column = (page: Page, stage: string) => page.locator(`section[data-stage="${stage}"]`);
const card = (page: Page, reference: string) => page.getByRole("article", { name: reference, exact: true });

/**
 * Drags a card onto a column's header with the mouse, as a person would. (Playwright's dragTo scrolls
 * the target's middle into view after pressing the button, which can put another card under it.)
 */
async function drag(page: Page, source: Locator, target: Locator): Promise<void> {
  await source.scrollIntoViewIfNeeded();
  const from = await source.locator(".card-client").boundingBox();
  const to = await target.locator(".column-header").boundingBox();
  if (!from || !to) throw new Error("the card or the column is not on screen");
  await page.mouse.move(from.x + 4, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await page.mouse.up();
}

async function openBoard(page: Page): Promise<void> {
  await page.goto(fixture.url(`/companies/${companyId}/pipeline`));
  await page.locator(".board-column").first().waitFor();
  // Every column has loaded (cards, or its "No projects").
  await poll(() => page.locator(".board-column .state-loading").count()).toBe(0);
}

it("refuses an advance with unmet requirements, then advances once they are met, and moves back with a reason", {
  timeout: 120_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  const booked = await newestIn("survey_booked");

  await openBoard(page);
  const bookedCard = card(page, booked.reference);
  await bookedCard.waitFor();
  await page.screenshot({ path: screenshotPath("pipeline.png"), fullPage: true });

  // Dragged to the next stage: the API refuses (no site visit, no survey report) and says why.
  await drag(page, bookedCard, column(page, "survey_completed"));
  const refusal = bookedCard.getByRole("alert");
  await refusal.filter({ hasText: "Survey completed needs" }).waitFor();
  await refusal.getByText("Site visit logged (a site visit logged on the project)").waitFor();
  await refusal
    .getByText("Survey report uploaded (a document tagged “survey” linked to the project)")
    .waitFor();
  // The card stayed where it was, and so did the project.
  expect(await column(page, "survey_booked").getByRole("article", { name: booked.reference }).count()).toBe(
    1,
  );
  expect(await stageOf(booked.id)).toBe("survey_booked");
  await page.screenshot({ path: screenshotPath("pipeline-refused.png") });

  // Met from the project page: a site visit logged and the survey report uploaded with its tag.
  await bookedCard.getByRole("link", { name: booked.reference }).click();
  await page.getByRole("heading", { level: 2, name: new RegExp(`^${booked.reference}`) }).waitFor();
  const toAdvance = page.getByRole("list", { name: "To advance to Survey completed" });
  await toAdvance.getByText("Not met: Site visit logged").waitFor();
  await page.getByLabel("Type").selectOption("site_visit");
  await page.getByLabel("Details").fill("Measured the bathroom; photos to follow.");
  await page.getByRole("button", { name: "Log site visit" }).click();
  await toAdvance.getByText("Met: Site visit logged").waitFor();
  await page.getByLabel("File").setInputFiles({
    name: "survey-report.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("Survey report: walls plumb, floor needs levelling.\n"),
  });
  await page.getByRole("checkbox", { name: /^survey / }).check();
  await page.getByRole("button", { name: "Upload" }).click();
  await page.getByRole("status").filter({ hasText: "Uploaded survey-report.txt." }).waitFor();
  await page.getByRole("link", { name: "survey-report.txt" }).waitFor();
  await toAdvance.getByText("Met: Survey report uploaded").waitFor();

  // The same drag now advances it, and the API agrees.
  await openBoard(page);
  await drag(page, card(page, booked.reference), column(page, "survey_completed"));
  await page
    .getByRole("status")
    .filter({ hasText: `${booked.reference} moved to Survey completed.` })
    .waitFor();
  const inCompleted = column(page, "survey_completed").getByRole("article", { name: booked.reference });
  await inCompleted.waitFor();
  await poll(() =>
    column(page, "survey_booked").getByRole("article", { name: booked.reference }).count(),
  ).toBe(0);
  expect(await stageOf(booked.id)).toBe("survey_completed");

  // Back to the stage before: the board asks for the reason the API needs.
  await drag(page, inCompleted, column(page, "survey_booked"));
  const dialog = page.getByRole("dialog", { name: `Move ${booked.reference}` });
  await dialog.getByText("Move back from Survey completed to Survey booked.").waitFor();
  await dialog.getByLabel("Reason").fill("Client asked to re-measure after moving a wall.");
  await dialog.getByRole("button", { name: "Move back" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `${booked.reference} moved to Survey booked.` })
    .waitFor();
  expect(await stageOf(booked.id)).toBe("survey_booked");

  // The timeline has the move at the top, with who made it and why.
  const backInBooked = column(page, "survey_booked").getByRole("article", { name: booked.reference });
  await backInBooked.getByRole("link", { name: booked.reference }).click();
  const latest = page.getByRole("list", { name: "History, newest first" }).getByRole("listitem").first();
  await latest.getByText("Moved back from Survey completed to Survey booked").waitFor();
  await latest.getByText("Client asked to re-measure after moving a wall.").waitFor();
  await latest.getByText(DEMO_LOGINS.owner.name).waitFor();
  expect(errors).toEqual([]);
});

it("moves a project with the keyboard alone, and fits a tablet without scrolling the page", {
  timeout: 60_000,
}, async () => {
  // Consultation asks for a logged call, which every demo project has.
  const enquiry = await newestIn("enquiry");
  const { page, errors } = await openPage(owner);
  await openBoard(page);

  const move = card(page, enquiry.reference).getByRole("button", { name: "Move…" });
  await move.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: `Move ${enquiry.reference}` });
  await dialog.waitFor();
  // The next stage has the focus; arrows step through the stages as in a menu.
  const focused = page.locator("body");
  const focusedText = () => focused.evaluate((body) => body.ownerDocument.activeElement?.textContent ?? "");
  await poll(focusedText).toBe("Consultation (next stage)");
  await page.keyboard.press("ArrowDown");
  await poll(focusedText).toBe("Survey booked (skip ahead, needs a reason)");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Enter");

  await page
    .getByRole("status")
    .filter({ hasText: `${enquiry.reference} moved to Consultation.` })
    .waitFor();
  await poll(() => stageOf(enquiry.id)).toBe("consultation");
  expect(await dialog.count()).toBe(0);
  // The focus follows the card to its new column.
  await poll(() =>
    focused.evaluate((body) =>
      body.ownerDocument.activeElement?.closest("[data-stage]")?.getAttribute("data-stage"),
    ),
  ).toBe("consultation");

  await page.setViewportSize({ width: 768, height: 1024 });
  expect(await page.locator("html").evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(768);
  // The columns scroll inside the board instead.
  expect(await page.locator(".board").evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(
    true,
  );
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(errors).toEqual([]);
});

it("shows a project's timeline newest first and its documents, adds a note at the top and shows what an advance lacks", {
  timeout: 60_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  const design = await newestIn("design");
  // A check-in from the field app and a document, besides the demo's call and stage move.
  await fixture.api(companyApi(`/projects/${design.id}/activities`), {
    method: "POST",
    body: { type: "check_in", body: "On site", gps: { lat: 53.7965, lng: -1.5479, accuracy_m: 8 } },
  });
  const drawing = "Floor plan, first draft.\n";
  await uploadProjectText(fixture, companyId, {
    projectId: design.id,
    name: "floor-plan.txt",
    text: drawing,
    tags: ["drawing"],
  });
  const history = (await fixture.api(companyApi(`/projects/${design.id}/activities`))) as {
    activities: unknown[];
  };

  await page.goto(fixture.url(`/companies/${companyId}/projects/${design.id}`));
  await page.getByRole("heading", { level: 2, name: new RegExp(`^${design.reference}`) }).waitFor();
  await page.getByRole("list", { name: "Pipeline progress" }).getByText("Design").first().waitFor();
  const timeline = page.getByRole("list", { name: "History, newest first" });
  await timeline.waitFor();
  // The API's order, newest first: the check-in (with its position), the demo's move, the call, the creation.
  const entries = timeline.getByRole("listitem");
  expect(await entries.count()).toBe(history.activities.length);
  const position = entries.nth(0).getByRole("link", { name: /53\.79650, -1\.54790 \(±8 m\)/ });
  expect(await position.getAttribute("href")).toBe(
    "https://www.openstreetmap.org/?mlat=53.7965&mlon=-1.5479#map=17/53.7965/-1.5479",
  );
  await entries.nth(1).getByText("Skipped ahead from Enquiry to Design").waitFor();
  await entries.nth(1).getByText("demo data").waitFor();
  await entries.last().getByText("Created in Enquiry").waitFor();
  const times = await timeline
    .locator("time")
    .evaluateAll((elements) => elements.map((element) => Date.parse(element.getAttribute("datetime") ?? "")));
  expect(times).toEqual([...times].sort((a, b) => b - a));

  // Its documents, downloadable through the API's content route.
  const link = page.getByRole("link", { name: "floor-plan.txt" });
  await link.waitFor();
  await page
    .getByRole("row", { name: /floor-plan\.txt/ })
    .getByText(`${drawing.length} bytes`)
    .waitFor();
  const download = await page.request.get(fixture.url((await link.getAttribute("href")) ?? ""));
  expect(download.status()).toBe(200);
  expect(await download.text()).toBe(drawing);

  await page.getByLabel("Note").fill("Client prefers matte tiles in the shower.");
  await page.getByRole("button", { name: "Add note" }).click();
  const first = entries.first();
  await first.getByText("Client prefers matte tiles in the shower.").waitFor();
  await first.getByText(DEMO_LOGINS.owner.name).waitFor();
  const notes = (await fixture.api(companyApi(`/projects/${design.id}/activities?limit=1`))) as {
    activities: { type: string; body: string }[];
  };
  expect(notes.activities[0]).toMatchObject({
    type: "note",
    body: "Client prefers matte tiles in the shower.",
  });

  // Advance lists what Design presented still needs, as the board does.
  await page.getByRole("button", { name: "Advance to Design presented" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "Design presented needs" });
  await refusal.getByText("Design uploaded (a document tagged “design” linked to the project)").waitFor();
  await refusal.getByText("Design presented to the client (ticked on the project’s checklist)").waitFor();
  expect(await stageOf(design.id)).toBe("design");
  await page.screenshot({ path: screenshotPath("project.png"), fullPage: true });
  expect(errors).toEqual([]);
});

it("lists projects with the API's filters, kept in the address", { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(owner);
  const hart = (await fixture.api(companyApi("/projects?q=hart&limit=200"))) as { projects: Project[] };
  await page.goto(fixture.url(`/companies/${companyId}/projects`));
  await page.getByRole("heading", { level: 2, name: "Projects" }).waitFor();
  await page.locator("tbody tr").first().waitFor();
  expect(await page.locator("tbody tr").count()).toBe(25);
  await page.getByRole("button", { name: "Load more" }).click();
  await poll(() => page.locator("tbody tr").count()).toBe(36);

  await page.getByLabel("Search").fill("hart");
  await poll(() => new URL(page.url()).searchParams.get("q")).toBe("hart");
  await poll(() => page.locator("tbody tr").count()).toBe(hart.projects.length);
  for (const text of await page.locator("tbody tr").allTextContents()) expect(text).toContain("Hart");
  // The address keeps the filter: a reload shows the same list.
  await page.reload();
  await poll(() => page.locator("tbody tr").count()).toBe(hart.projects.length);
  expect(await page.getByLabel("Search").inputValue()).toBe("hart");

  await page.setViewportSize({ width: 768, height: 1024 });
  expect(await page.locator("html").evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(768);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await poll(() => page.locator("tbody tr").count()).toBe(25);
  expect(new URL(page.url()).search).toBe("");
  expect(errors).toEqual([]);
});

it("shows another company's project as not found, with none of its data", { timeout: 30_000 }, async () => {
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}/projects/${rivalProjectId}`));
  await page.getByRole("alert").filter({ hasText: "Project not found" }).waitFor();
  const text = await page.locator("body").textContent();
  expect(text).not.toContain(RIVAL.client);
  expect(text).not.toContain(RIVAL.title);
  expect(await page.getByRole("list", { name: "History, newest first" }).count()).toBe(0);

  // Nor does the proxy hand it out when asked directly.
  const direct = await page.request.get(
    fixture.url(`/api/admin/companies/${companyId}/projects/${rivalProjectId}`),
  );
  expect(direct.status()).toBe(404);
  expect(await direct.text()).not.toContain(RIVAL.client);
  expect(errors).toEqual([]);
});
