// Company search in Chromium against the whole local system (fixture.ts): the header's search box
// (a misspelt query finds the records, grouped by type with the matches marked and a record's own
// markup shown as text; "/", Ctrl+K, Escape and the arrow keys; Enter opens a project and the click
// reaches the query log), "did you mean", the documents and members screens' search, and the Search
// report listing the queries; an installer's search finds only the project assigned to them.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Project } from "../../packages/contracts/src/projects/schemas.ts";
import type { SearchReport, SearchResponse } from "../../packages/contracts/src/search/schemas.ts";
import { DEMO_LOGINS, signUpCompanyOwner } from "../../scripts/seed-demo.ts";
import {
  type DashboardFixture,
  openPage,
  screenshotPath,
  startDashboardFixture,
  uploadProjectText,
} from "./fixture.ts";

const INSTALLER = {
  name: "Ingrid Fitter",
  email: "ingrid.fitter@demo-manufacturing.example",
  password: "ingrid-fitter-pass",
};
const MISSPELT = "belweather";

let fixture: DashboardFixture;
let companyId: string;
/** Assigned to the installer; the other one is not. */
let assigned: Project;
let unassigned: Project;
let owner: BrowserContext;
let installer: BrowserContext;

const companyApi = (path: string) => `/api/admin/companies/${companyId}${path}`;
/** Page changes wait on the API (and on 2 busy cores): more than expect.poll's default second. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

beforeAll(async () => {
  fixture = await startDashboardFixture();
  companyId = fixture.demoCompanyId;

  await fixture.api(companyApi("/invitations"), {
    method: "POST",
    body: { email: INSTALLER.email, role: "installer" },
  });
  await signUpCompanyOwner(fixture.system.url.origin, fixture.system.adminSecret, INSTALLER);
  const { members } = (await fixture.api(companyApi("/members"))) as {
    members: { user_id: string; email: string }[];
  };
  const installerId = members.find((member) => member.email === INSTALLER.email)?.user_id;
  if (!installerId) throw new Error("the installer did not join");

  const { showroom } = (await fixture.api(companyApi("/showrooms"), {
    method: "POST",
    body: { name: "Search Showroom", type: "retail" },
  })) as { showroom: { id: string } };
  const create = async (body: object) =>
    (
      (await fixture.api(companyApi("/projects"), {
        method: "POST",
        body: { showroom_id: showroom.id, ...body },
      })) as { project: Project }
    ).project;
  assigned = await create({
    title: "Bellweather kitchen refit",
    client: { name: "Henrietta Bellweather", email: "henrietta@bellweather.example" },
    assignments: { installer: installerId },
  });
  // A title with markup: it must show as typed, never as HTML.
  unassigned = await create({
    title: "Bellweather <b>garage</b> conversion",
    client: { name: "Otto Bellweather" },
  });
  await fixture.api(companyApi(`/projects/${assigned.id}/activities`), {
    method: "POST",
    body: { type: "note", body: "Henrietta wants the Bellweather worktop in Quasimodo granite" },
  });
  await uploadProjectText(fixture, companyId, {
    projectId: assigned.id,
    name: "bellweather-quote.txt",
    text: "Quote for the Bellweather kitchen worktop",
    tags: ["quote"],
  });

  owner = await fixture.newContext({ login: DEMO_LOGINS.owner });
  installer = await fixture.newContext({ login: INSTALLER });
}, 300_000);

afterAll(async () => {
  await fixture?.stop();
});

const searchBox = (page: Page) => page.getByRole("combobox", { name: "Find anything in the company" });
// Inside the results: the page's own <select>s have options too.
const options = (page: Page) => page.getByRole("listbox", { name: "Results" }).getByRole("option");
const selected = (page: Page) => page.locator('[role="option"][aria-selected="true"]');

async function report(): Promise<SearchReport> {
  return (await fixture.api(companyApi("/search/report?days=1&limit=100"))) as SearchReport;
}

it("finds misspelt words across types, marked and grouped; the keyboard opens a project and the click is logged", {
  timeout: 120_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}`));
  await page.getByRole("heading", { level: 1 }).waitFor();

  // "/" from the page focuses the box.
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  await page.keyboard.press("/");
  await poll(() => searchBox(page).evaluate((box) => box === box.ownerDocument.activeElement)).toBe(true);
  await searchBox(page).fill(MISSPELT);

  for (const group of ["Projects", "Clients", "Activities", "Documents"]) {
    await page.getByRole("group", { name: new RegExp(`^${group}`) }).waitFor();
  }
  const projects = page.getByRole("group", { name: /^Projects/ }).getByRole("option");
  await poll(() => projects.count()).toBe(2);
  // The typo found the right word, and it is marked.
  const marks = await page.locator(".search-popup mark").allTextContents();
  expect(marks.length).toBeGreaterThan(0);
  for (const mark of marks) expect(mark.toLowerCase()).toContain("bellweather");
  // A record's markup is text: the option shows the tags as typed and the page has no <b> from it.
  await options(page).filter({ hasText: "<b>garage</b> conversion" }).waitFor();
  expect(await page.locator(".search-popup b").count()).toBe(0);
  await page.screenshot({ path: screenshotPath("search.png") });

  // Escape closes, Ctrl+K reopens with the same words.
  await page.keyboard.press("Escape");
  await poll(() => options(page).count()).toBe(0);
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  await page.keyboard.press("Control+k");
  await poll(() => projects.count()).toBe(2);

  // The first result starts active; the arrows move through every result and wrap.
  const total = await options(page).count();
  expect(await options(page).first().getAttribute("aria-selected")).toBe("true");
  await page.keyboard.press("ArrowUp");
  expect(await options(page).last().getAttribute("aria-selected")).toBe("true");
  await page.keyboard.press("ArrowDown");
  expect(await options(page).first().getAttribute("aria-selected")).toBe("true");
  for (let step = 0; step < total; step++) {
    if ((await selected(page).textContent())?.includes("Bellweather kitchen refit")) break;
    await page.keyboard.press("ArrowDown");
  }
  expect(await selected(page).textContent()).toContain("Bellweather kitchen refit");
  const position = await options(page).evaluateAll((all) =>
    all.findIndex((option) => option.getAttribute("aria-selected") === "true"),
  );
  await page.keyboard.press("Enter");

  await poll(() => new URL(page.url()).pathname).toBe(`/companies/${companyId}/projects/${assigned.id}`);
  await page.getByRole("heading", { name: new RegExp(`^${assigned.reference}`) }).waitFor();
  expect(await options(page).count()).toBe(0);

  // The query and the opened result reached the log.
  await poll(async () => (await report()).top_queries.find((entry) => entry.query === MISSPELT)?.clicks).toBe(
    1,
  );
  expect(position).toBeGreaterThanOrEqual(0);
  expect(errors).toEqual([]);
});

it("offers the likely words when little matches, and says when nothing does", {
  timeout: 60_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}`));
  await searchBox(page).fill("quasimdoo");
  const suggestion = page.getByRole("button", { name: "quasimodo" });
  await suggestion.waitFor();
  const corrected = page.waitForResponse(
    (response) =>
      response.url().endsWith("/search") && response.request().postData()?.includes('"quasimodo"') === true,
  );
  await suggestion.click();
  expect(await searchBox(page).inputValue()).toBe("quasimodo");
  expect(((await (await corrected).json()) as SearchResponse).suggestion).toBeNull();
  // The words as suggested need no suggestion.
  await poll(() => page.getByRole("button", { name: "quasimodo" }).count()).toBe(0);
  await page
    .getByRole("group", { name: /^Activities/ })
    .getByRole("option")
    .first()
    .waitFor();
  expect(await page.locator(".search-popup mark").first().textContent()).toMatch(/quasimodo/i);

  await searchBox(page).fill("zzqxjvw");
  await page.getByText("No results for “zzqxjvw”").waitFor();
  expect(await options(page).count()).toBe(0);
  expect(errors).toEqual([]);
});

it("searches the documents and members screens", { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}/documents`));
  await page.getByLabel("Search documents").fill("belweather worktop");
  const found = page.getByRole("list", { name: /documents matching/ }).getByRole("link");
  await poll(() => found.count()).toBe(1);
  expect(await found.locator("mark").first().textContent()).toMatch(/bellweather/i);
  expect(new URL(page.url()).searchParams.get("q")).toBe("belweather worktop");
  await found.click();
  await page.getByRole("heading", { name: "bellweather-quote.txt" }).waitFor();
  await page.getByRole("link", { name: "Open the project" }).waitFor();

  await page.goto(fixture.url(`/companies/${companyId}/members`));
  await page.getByRole("table").waitFor();
  expect(await page.locator("tbody tr").count()).toBeGreaterThan(1);
  await page.getByLabel("Search members").fill("ingird");
  await poll(() => page.locator("tbody tr").count()).toBe(1);
  expect(await page.locator("tbody tr").textContent()).toContain(INSTALLER.email);
  expect(errors).toEqual([]);
});

it("reports the queries, the zero-result ones and their clicks to the owner", {
  timeout: 60_000,
}, async () => {
  await poll(async () =>
    (await report()).zero_result_queries.some((entry) => entry.query === "zzqxjvw"),
  ).toBe(true);
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}`));
  await page
    .getByRole("navigation", { name: /sections$/ })
    .getByRole("link", { name: "Search", exact: true })
    .click();
  const top = page.getByRole("region", { name: "Top queries" });
  const misspelt = top.getByRole("row", { name: new RegExp(`^${MISSPELT} \\d`) });
  await misspelt.waitFor();
  // Searches, results opened, last searched.
  expect(await misspelt.locator("td").nth(1).textContent()).toBe("1");
  const zero = page.getByRole("region", { name: "Queries without results" });
  await zero.getByRole("row", { name: /^zzqxjvw \d/ }).waitFor();
  const figures = await page.locator(".cards .figure").allTextContents();
  expect(figures[3]).toMatch(/^\d+ ms$/);
  await page.screenshot({ path: screenshotPath("search-report.png"), fullPage: true });
  expect(errors).toEqual([]);
});

it("shows an installer only their assigned project and its records", { timeout: 60_000 }, async () => {
  const { page } = await openPage(installer);
  await page.goto(fixture.url(`/companies/${companyId}`));
  await page.getByRole("heading", { level: 1 }).waitFor();
  // The request the search box sends, with the installer's session, through the dashboard's proxy.
  const answer = (await page.evaluate(
    async ([id, q]) => {
      const response = await fetch(`/api/admin/companies/${id}/search`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ q }),
      });
      return response.json();
    },
    [companyId, "bellweather"] as const,
  )) as SearchResponse;
  const projectIds = answer.hits.filter((hit) => hit.type !== "member").map((hit) => hit.project_id);
  expect(projectIds.length).toBeGreaterThanOrEqual(3);
  expect(new Set(projectIds)).toEqual(new Set([assigned.id]));
  expect(answer.hits.map((hit) => hit.id)).not.toContain(unassigned.id);
  // Installers may not list members.
  expect(answer.hits.some((hit) => hit.type === "member")).toBe(false);
  // The owner's search over the same words finds both projects.
  const everything = (await fixture.api(companyApi("/search"), {
    method: "POST",
    body: { q: "bellweather", types: ["project"] },
  })) as SearchResponse;
  expect(new Set(everything.hits.map((hit) => hit.id))).toEqual(new Set([assigned.id, unassigned.id]));
});
