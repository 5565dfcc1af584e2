// The operator's platform screens in Chromium against the whole local system (fixture.ts):
// companies (filters, limits, suspension), registration tokens and the tenant database pool.
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_COMPANY } from "../../scripts/seed-demo.ts";
import {
  type DashboardFixture,
  DEMO_LOGINS,
  openPage,
  row,
  screenshotPath,
  startDashboardFixture,
} from "./fixture.ts";

interface CompanyView {
  id: string;
  company_name: string;
  subscription_tier: string;
  max_installations: number;
  suspended: boolean;
  suspended_reason: string | null;
}

const RIVAL = "Rival Industries";

let fixture: DashboardFixture;
let operator: BrowserContext;
let rivalId: string;

beforeAll(async () => {
  fixture = await startDashboardFixture();
  rivalId = (await fixture.system.registerCompany({ company_name: RIVAL })).company_id;
  operator = await fixture.newContext({ login: DEMO_LOGINS.operator });
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

const company = async (id: string) =>
  ((await fixture.api(`/api/admin/companies/${id}`)) as { company: CompanyView }).company;

it("filters companies, changes a company's limits and suspends and resumes it", {
  timeout: 60_000,
}, async () => {
  const { page, errors } = await openPage(operator);
  await page.goto(fixture.url("/"));
  await page.getByRole("heading", { level: 1, name: "All companies" }).waitFor();
  await row(page, RIVAL).waitFor();

  // Filters go to the API: the demo company is on the professional tier, the rival on standard.
  await page.getByLabel("Tier").selectOption("professional");
  await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
  await row(page, DEMO_COMPANY.company_name).waitFor();
  await page.getByLabel("Tier").selectOption("");
  await row(page, RIVAL).waitFor();

  // Raise the rival's seat limit and move it to another tier.
  await row(page, RIVAL)
    .getByRole("button", { name: `Manage ${RIVAL}` })
    .click();
  const panel = page.getByRole("form", { name: `Limits and updates of ${RIVAL}` });
  await panel.getByLabel("Tier").selectOption("enterprise");
  await panel.getByLabel("Seat limit").fill("75");
  await panel.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  expect(await company(rivalId)).toMatchObject({ subscription_tier: "enterprise", max_installations: 75 });
  await row(page, RIVAL).filter({ hasText: "0 / 75" }).waitFor();

  // A bad limit is caught before it is sent and nothing changes.
  await panel.getByLabel("Seat limit").fill("-3");
  await panel.getByRole("button", { name: "Save changes" }).click();
  expect((await company(rivalId)).max_installations).toBe(75);
  await panel.getByLabel("Seat limit").fill("75");

  await page.getByLabel(/Reason for suspending/).fill("Unpaid invoice 2026-11");
  await page.getByRole("button", { name: "Suspend company" }).click();
  await page.screenshot({ path: screenshotPath("platform-companies.png"), fullPage: true });
  await page.getByRole("button", { name: "Suspend", exact: true }).click();
  await page.getByText("Suspended: Unpaid invoice 2026-11").waitFor();
  expect(await company(rivalId)).toMatchObject({
    suspended: true,
    suspended_reason: "Unpaid invoice 2026-11",
  });

  await page.getByLabel("Status").selectOption("suspended");
  await expect.poll(() => page.locator("tbody > tr:not(.manage-row)").count()).toBe(1);
  await row(page, RIVAL).getByText("Suspended").first().waitFor();

  await page.getByRole("button", { name: "Resume company" }).click();
  await expect.poll(async () => (await company(rivalId)).suspended).toBe(false);
  expect(errors).toEqual([]);
});

it("creates a registration token shown once, which registers one company; revokes another", {
  timeout: 60_000,
}, async () => {
  const { page, errors } = await openPage(operator);
  await page.goto(fixture.url("/"));
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Registration tokens" })
    .click();
  await page.getByRole("heading", { level: 1, name: "Registration tokens" }).waitFor();

  await page.getByLabel("Label (who it is for)").fill("Northwind onboarding");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("one-time-secret").textContent()) ?? "";
  expect(secret).toMatch(/^nxr_/);
  await row(page, "Northwind onboarding").getByText("active").waitFor();
  await page.screenshot({ path: screenshotPath("registration-tokens.png"), fullPage: true });

  // The customer registers with it.
  const register = (token: string, name: string) =>
    fetch(new URL("/api/company/register", fixture.system.url), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ company_name: name, admin_email: "it@northwind.example" }),
    });
  expect((await register(secret, "Northwind Traders")).status).toBe(201);
  await page.reload();
  await row(page, "Northwind onboarding").getByText("used").waitFor();
  // The page never shows the secret again.
  expect(await page.locator("body").textContent()).not.toContain(secret);

  await page.getByLabel("Label (who it is for)").fill("Withdrawn offer");
  await page.getByRole("button", { name: "Create token" }).click();
  const withdrawn = (await page.getByTestId("one-time-secret").textContent()) ?? "";
  await row(page, "Withdrawn offer").getByRole("button", { name: "Revoke Withdrawn offer" }).click();
  await row(page, "Withdrawn offer").getByRole("button", { name: "Revoke", exact: true }).click();
  await row(page, "Withdrawn offer").getByText("revoked").waitFor();
  expect((await register(withdrawn, "Too Late Ltd")).status).toBe(401);

  await page.getByLabel("State").selectOption("used");
  await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
  await row(page, "Northwind onboarding").waitFor();
  expect(errors).toEqual([]);
});

it("shows the tenant database pool as the API reports it", { timeout: 30_000 }, async () => {
  const { page, errors } = await openPage(operator);
  await page.goto(fixture.url("/platform/tenant-pool"));
  await page.getByRole("heading", { level: 1, name: "Tenant database pool" }).waitFor();
  const pool = (await fixture.api("/api/admin/tenant-pool")) as {
    free: number;
    databases: { binding_name: string; status: string }[];
  };
  await page
    .getByTestId("pool-free")
    .filter({ hasText: String(pool.free) })
    .waitFor();
  for (const database of pool.databases) {
    await row(page, database.binding_name).getByText(database.status).waitFor();
  }
  await page.screenshot({ path: screenshotPath("tenant-pool.png"), fullPage: true });
  expect(errors).toEqual([]);
});

it("keeps platform screens to operators", { timeout: 30_000 }, async () => {
  const owner = await fixture.newContext({ login: DEMO_LOGINS.owner });
  try {
    const { page, errors } = await openPage(owner);
    await page.goto(fixture.url("/platform/registration-tokens"));
    await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
    expect(await page.getByRole("link", { name: "Registration tokens" }).count()).toBe(0);
    const listed = await page.request.get(fixture.url("/api/admin/registration-tokens"));
    expect(listed.status()).toBe(403);
    expect(errors).toEqual([]);
  } finally {
    await owner.close();
  }
});
