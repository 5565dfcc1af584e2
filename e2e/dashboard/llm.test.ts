// The LLM screen in Chromium against the whole local system with the providers' stand-ins
// (fixture.ts, `llmStandIns`): the owner adds a provider key of their own (the key never shows on
// the page again, only its last four characters), saves a policy that routes "default" to it with
// budgets, is refused deleting the key while the policy uses it, and after two calls through the
// gateway with a company API key sees their usage and cost, this month's spend and the call log as
// the API records them. A member, whose role has no llm:read, gets no LLM tab.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_LOGINS, signUpCompanyOwner } from "../../scripts/seed-demo.ts";
import { formatUsdMicros } from "../../workers/dashboard/src/lib/money.ts";
import { type DashboardFixture, openPage, screenshotPath, startDashboardFixture } from "./fixture.ts";

/** Accepted by the OpenAI stand-in (any key starting sk-stand-in); its last four are "Q7x9". */
const PROVIDER_SECRET = "sk-stand-in-e2e-byok-Q7x9";
const ROTATED_SECRET = "sk-stand-in-e2e-rotated-R2d2";
const MEMBER = {
  name: "Mia Member",
  email: "mia.member@demo-manufacturing.example",
  password: "mia-member-pass",
};

interface PolicyAnswer {
  policy: {
    models: { name: string; targets: { provider: string; model: string; key_id: string | null }[] }[];
    budget_usd_micros: number | null;
    api_key_budgets: { api_key_id: string; budget_usd_micros: number }[];
    tokens_per_minute: number;
  };
}
interface CallsAnswer {
  calls: {
    cost_usd_micros: number;
    provider_model: string | null;
    status: string;
    api_key_id: string | null;
  }[];
}
interface UsageAnswer {
  budget: { spent_usd_micros: number; reserved_usd_micros: number; budget_usd_micros: number | null };
}

let fixture: DashboardFixture;
let companyId: string;
let owner: BrowserContext;
let member: BrowserContext;
let apiKey: { id: string; secret: string };

const llmPath = (path: string) => `/api/admin/companies/${companyId}/llm/${path}`;

beforeAll(async () => {
  fixture = await startDashboardFixture({ llmStandIns: true });
  companyId = fixture.demoCompanyId;
  const created = (await fixture.api(`/api/admin/companies/${companyId}/api-keys`, {
    method: "POST",
    body: { name: "ERP assistant", permissions: { llm: ["use"] } },
  })) as { api_key: { id: string }; key: string };
  apiKey = { id: created.api_key.id, secret: created.key };
  await fixture.api(`/api/admin/companies/${companyId}/invitations`, {
    method: "POST",
    body: { email: MEMBER.email, role: "member" },
  });
  await signUpCompanyOwner(fixture.system.url.origin, fixture.system.adminSecret, MEMBER);
  owner = await fixture.newContext({ login: DEMO_LOGINS.owner });
  member = await fixture.newContext({ login: MEMBER });
}, 240_000);

afterAll(async () => {
  await fixture?.stop();
});

/** The page's text, its markup and every field's value: where a secret could show. */
async function everythingShown(page: Page): Promise<string> {
  const values: string[] = [];
  for (const field of await page.locator("input, textarea").all()) values.push(await field.inputValue());
  return [await page.content(), await page.locator("body").textContent(), ...values].join("\n");
}

async function chat(content: string): Promise<void> {
  const response = await fetch(new URL("/api/llm/v1/chat/completions", fixture.system.url), {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey.secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "default", messages: [{ role: "user", content }], max_tokens: 40 }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  const answer = (await response.json()) as { choices: { message: { content: string } }[] };
  expect(answer.choices[0]?.message.content).toContain("Stand-in reply to:");
}

/** The call log and the hub's spend once both calls are recorded and settled (after the answers). */
async function settled(calls: number): Promise<{ log: CallsAnswer; usage: UsageAnswer }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const log = (await fixture.api(llmPath("calls"))) as CallsAnswer;
    const usage = (await fixture.api(llmPath("usage"))) as UsageAnswer;
    const cost = log.calls.reduce((sum, call) => sum + call.cost_usd_micros, 0);
    if (
      log.calls.length === calls &&
      usage.budget.reserved_usd_micros === 0 &&
      usage.budget.spent_usd_micros === cost
    ) {
      return { log, usage };
    }
    if (Date.now() > deadline) throw new Error(`calls not settled: ${JSON.stringify({ log, usage })}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it("the owner adds and rotates a key of their own, routes a model to it with budgets, and sees the calls' usage, cost and log", {
  timeout: 180_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}`));
  await page
    .getByRole("navigation", { name: /sections$/ })
    .getByRole("link", { name: "LLM", exact: true })
    .click();
  await page.getByRole("heading", { name: "Providers and keys" }).waitFor();
  await page.getByRole("heading", { name: "No keys of your own yet" }).waitFor();

  // Add an OpenAI key: typed into a password field, never shown again.
  await page.getByRole("button", { name: "Add a key" }).click();
  const form = page.getByRole("form", { name: "Add a provider key" });
  await form.getByLabel("Provider").selectOption("openai");
  await form.getByLabel("Label").fill("Production");
  const keyField = form.getByLabel("Key", { exact: true });
  expect(await keyField.getAttribute("type")).toBe("password");
  await keyField.fill(PROVIDER_SECRET);
  await form.getByRole("button", { name: "Add key" }).click();
  await page.getByRole("status").filter({ hasText: "“Production” (ending Q7x9) is added" }).waitFor();
  const keyRow = page.getByRole("row", { name: /Production/ });
  await keyRow.getByText("…Q7x9").waitFor();
  expect(await everythingShown(page)).not.toContain(PROVIDER_SECRET);
  const { keys } = (await fixture.api(llmPath("keys"))) as {
    keys: { id: string; label: string; last4: string }[];
  };
  expect(keys).toEqual([expect.objectContaining({ label: "Production", last4: "Q7x9" })]);
  expect(JSON.stringify(keys)).not.toContain(PROVIDER_SECRET);
  const keyId = keys[0]?.id ?? "";

  // The policy: "default" on gpt-4o-mini with that key, a $25 monthly budget and $5 for the API key.
  await page.getByRole("navigation", { name: "LLM gateway" }).getByRole("link", { name: "Policy" }).click();
  await page.getByRole("heading", { name: "Policy", exact: true }).waitFor();
  // The platform's defaults already route "default" (LLM_DEFAULT_MODELS): point it at our key.
  const model = page.getByRole("region", { name: "Model default", exact: true });
  await model.getByLabel("Target 1: provider").selectOption("openai");
  await model.getByLabel("Target 1: model").fill("gpt-4o-mini");
  await model.getByLabel("Target 1: key").selectOption({ label: "Production (…Q7x9)" });
  // A fallback on the platform's Anthropic key (no keys of ours for that provider are offered).
  await model.getByRole("button", { name: "Add a fallback target" }).click();
  await model.getByLabel("Target 2: provider").selectOption("anthropic");
  await model.getByLabel("Target 2: model").fill("claude-3-5-haiku-latest");
  expect(await model.getByLabel("Target 2: key").locator("option").allTextContents()).toEqual([
    "Platform key",
  ]);
  await page.getByLabel("Monthly budget (USD)").fill("25");
  await page.getByRole("button", { name: "Add an API key budget" }).click();
  await page.getByLabel("Budget 1: API key").selectOption({ label: "ERP assistant" });
  await page.getByLabel("Budget 1: dollars per month").fill("5");

  // A value the contract refuses shows at its field, and nothing is sent.
  const tokensPerMinute = page.getByLabel("Tokens per minute");
  await tokensPerMinute.fill("50");
  let puts = 0;
  page.on("request", (request) => {
    if (request.method() === "PUT" && request.url().endsWith("/llm/policy")) puts += 1;
  });
  await page.getByRole("button", { name: "Save policy" }).click();
  await page.getByRole("alert").filter({ hasText: "Tokens per minute: At least 100." }).waitFor();
  expect(await tokensPerMinute.getAttribute("aria-invalid")).toBe("true");
  expect(puts).toBe(0);
  await tokensPerMinute.fill("200000");
  await page.getByRole("button", { name: "Save policy" }).click();
  await page.getByRole("status").filter({ hasText: "Saved at" }).waitFor();
  expect(puts).toBe(1);
  const { policy } = (await fixture.api(llmPath("policy"))) as PolicyAnswer;
  expect(policy.models.find((route) => route.name === "default")).toEqual({
    name: "default",
    targets: [
      expect.objectContaining({ provider: "openai", model: "gpt-4o-mini", key_id: keyId }),
      expect.objectContaining({ provider: "anthropic", model: "claude-3-5-haiku-latest", key_id: null }),
    ],
  });
  expect(policy.budget_usd_micros).toBe(25_000_000);
  expect(policy.api_key_budgets).toEqual([{ api_key_id: apiKey.id, budget_usd_micros: 5_000_000 }]);
  expect(policy.tokens_per_minute).toBe(200_000);
  await page.screenshot({ path: screenshotPath("llm-policy.png"), fullPage: true });

  // The key is in use: deleting it is refused with the API's reason, and it stays.
  await page.getByRole("link", { name: "Providers and keys" }).click();
  await keyRow.getByText("default").waitFor();
  await keyRow.getByRole("button", { name: "Delete Production" }).click();
  await keyRow.getByRole("button", { name: "Yes, delete" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "This key is still in use" });
  await refusal.waitFor();
  expect(await refusal.textContent()).toContain('"default"');
  expect(((await fixture.api(llmPath("keys"))) as { keys: unknown[] }).keys).toHaveLength(1);

  // Rotated in its row: the new key, too, shows only by its last four, and the calls below use it.
  await keyRow.getByRole("button", { name: "Rotate Production" }).click();
  const rotateForm = page.getByRole("form", { name: "Rotate Production" });
  await rotateForm.getByLabel("New key for Production").fill(ROTATED_SECRET);
  await rotateForm.getByRole("button", { name: "Rotate", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "“Production” now uses the key ending R2d2" }).waitFor();
  await keyRow.getByText("…R2d2").waitFor();
  expect(await everythingShown(page)).not.toContain(ROTATED_SECRET);

  // Two calls through the gateway with the company's API key, answered by the stand-in with our key.
  await chat("Hello from the ERP");
  await chat("Summarise order 4711 for the customer, please.");
  const { log, usage } = await settled(2);
  for (const call of log.calls) {
    expect(call).toMatchObject({ status: "ok", key_source: "byok", fallback_step: 0, api_key_id: apiKey.id });
    expect(call.provider_model).toMatch(/^gpt-4o-mini/);
  }
  const cost = usage.budget.spent_usd_micros;
  expect(cost).toBeGreaterThan(0);

  // Usage and cost: this month's spend and the totals per model, as money in USD.
  await page.getByRole("link", { name: "Usage and cost" }).click();
  await page
    .getByTestId("llm-spent")
    .filter({ hasText: formatUsdMicros(cost) })
    .waitFor();
  expect(await page.getByTestId("llm-budget").textContent()).toBe("$25.00");
  // The totals table, not the chart's own table for screen readers.
  const totals = page
    .getByRole("table", { name: "Totals per model over the range" })
    .getByRole("row", { name: /^default/ });
  await totals.getByRole("cell", { name: formatUsdMicros(cost), exact: true }).waitFor();
  expect(await totals.getByRole("cell").first().textContent()).toBe("2");
  await page.getByRole("img", { name: /Cost per day by model/ }).waitFor();
  // By API key: the key's name, not its id; the choice is in the address.
  await page.getByLabel("By", { exact: true }).selectOption("api_key");
  await page
    .getByRole("table", { name: "Totals per API key over the range" })
    .getByRole("row", { name: /^ERP assistant/ })
    .waitFor();
  expect(new URL(page.url()).searchParams.get("group")).toBe("api_key");
  await page.getByLabel("Show").selectOption("requests");
  await page.getByRole("img", { name: /Requests per day by API key/ }).waitFor();
  await page.screenshot({ path: screenshotPath("llm-usage.png"), fullPage: true });

  // The call log: who answered, at which step, tokens and cost; a filter in the address.
  await page.getByRole("link", { name: "Call log" }).click();
  const rows = page.getByRole("row").filter({ hasText: "gpt-4o-mini" });
  await rows.first().waitFor();
  expect(await rows.count()).toBe(2);
  expect(await rows.first().textContent()).toContain("1st target");
  await rows
    .first()
    .getByRole("button", { name: /Details/ })
    .click();
  const detail = page.locator(".llm-call-detail");
  await detail.getByText("Your key").waitFor();
  await detail.getByText("ERP assistant").waitFor();
  await page.screenshot({ path: screenshotPath("llm-calls.png"), fullPage: true });
  await page.getByLabel("Status").selectOption("error");
  await page.getByRole("heading", { name: "No call matches these filters" }).waitFor();
  expect(new URL(page.url()).searchParams.get("status")).toBe("error");
  await page.getByLabel("Status").selectOption("ok");
  await rows.nth(1).waitFor();

  const shown = await everythingShown(page);
  expect(shown).not.toContain(PROVIDER_SECRET);
  expect(shown).not.toContain(ROTATED_SECRET);
  expect(errors).toEqual([]);
});

it("a member, whose role cannot read the LLM gateway, gets no LLM tab", { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(member);
  // The tab depends on the member's role, read from the member list: wait for that answer.
  const rolesRead = page.waitForResponse((response) =>
    response.url().endsWith(`/companies/${companyId}/members`),
  );
  await page.goto(fixture.url(`/companies/${companyId}`));
  const nav = page.getByRole("navigation", { name: /sections$/ });
  await nav.getByRole("link", { name: "Overview" }).waitFor();
  expect((await rolesRead).status()).toBe(200);
  await nav.getByRole("link", { name: "Settings" }).waitFor();
  await page.waitForTimeout(300);
  expect(await nav.getByRole("link", { name: "LLM", exact: true }).count()).toBe(0);

  // The address itself shows only the API's refusal.
  await page.goto(fixture.url(`/companies/${companyId}/llm`));
  await page.getByRole("heading", { name: "Not allowed" }).first().waitFor();
  expect(errors).toEqual([]);
});
