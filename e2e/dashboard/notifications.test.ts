// Notifications and chat in Chromium against the whole local system (fixture.ts): a workflow's
// template written in the editor with its live preview (and Liquid's complaint about a broken one);
// a notification triggered through the API appearing in the owner's bell live (no reload of the
// inbox), read there, and read in the API too; and a project's chat between two signed-in people in
// two browsers — typing shown, a message sent by one appearing on the other's page, and its read
// receipt coming back to the sender, as the API records it; and a workflow created, a built-in's
// channels overridden and the company's own deleted from the Workflows view (a member gets no such buttons).
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Project } from "../../packages/contracts/src/projects/schemas.ts";
import { DEMO_LOGINS, signUpCompanyOwner } from "../../scripts/seed-demo.ts";
import { type DashboardFixture, openPage, screenshotPath, startDashboardFixture } from "./fixture.ts";

const MEMBER = {
  name: "Mia Member",
  email: "mia.member@demo-manufacturing.example",
  password: "mia-member-pass",
};
const WORKFLOW = "e2e.ping";

let fixture: DashboardFixture;
let companyId: string;
let ownerId: string;
let memberId: string;
let project: Project;
let owner: BrowserContext;
let member: BrowserContext;

const companyApi = (path: string) => `/api/admin/companies/${companyId}${path}`;
/** Page changes wait on the API, the queue and the hub (and on 2 busy cores). */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

/** GET through the dashboard's proxy as the signed-in person of `context` (their own inbox, their chat). */
async function asUser<T>(context: BrowserContext, path: string): Promise<T> {
  const response = await context.request.get(fixture.url(path));
  if (!response.ok()) throw new Error(`${path} -> ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

beforeAll(async () => {
  fixture = await startDashboardFixture();
  companyId = fixture.demoCompanyId;

  await fixture.api(companyApi("/invitations"), {
    method: "POST",
    body: { email: MEMBER.email, role: "member" },
  });
  await signUpCompanyOwner(fixture.system.url.origin, fixture.system.adminSecret, MEMBER);
  const { members } = (await fixture.api(companyApi("/members"))) as {
    members: { user_id: string; email: string }[];
  };
  const idOf = (email: string) => {
    const id = members.find((entry) => entry.email === email)?.user_id;
    if (!id) throw new Error(`${email} is not a member`);
    return id;
  };
  ownerId = idOf(DEMO_LOGINS.owner.email);
  memberId = idOf(MEMBER.email);

  // A workflow of the company's own that only goes to the inbox, with its in-app template.
  await fixture.api(companyApi("/notifications/workflows"), {
    method: "POST",
    body: { key: WORKFLOW, name: "E2E ping", category: "testing", channels: ["in_app"] },
  });
  await fixture.api(companyApi(`/notifications/workflows/${WORKFLOW}/templates/in_app/en`), {
    method: "PUT",
    body: { subject: "Ping {{ payload.n }}", body: "Ping number {{ payload.n }} for {{ recipient.name }}" },
  });

  const { showroom } = (await fixture.api(companyApi("/showrooms"), {
    method: "POST",
    body: { name: "Chat Showroom", type: "retail" },
  })) as { showroom: { id: string } };
  project = (
    (await fixture.api(companyApi("/projects"), {
      method: "POST",
      body: { showroom_id: showroom.id, title: "Chatty kitchen", client: { name: "Clara Client" } },
    })) as { project: Project }
  ).project;

  owner = await fixture.newContext({ login: DEMO_LOGINS.owner });
  member = await fixture.newContext({ login: MEMBER });
}, 300_000);

afterAll(async () => {
  await fixture?.stop();
});

const bell = (page: Page) => page.getByRole("button", { name: /^Notifications, / });

it("writes a template with a live preview, refusing one that does not parse", {
  timeout: 90_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}/notifications/workflows`));
  await page.getByRole("link", { name: "Templates of E2E ping" }).click();
  await page.getByRole("heading", { name: /E2E ping/ }).waitFor();
  expect(await page.getByLabel("Channel").inputValue()).toBe("in_app");

  // The stored version is in the editor, rendered with the sample payload typed beside it.
  expect(await page.getByLabel("Title").inputValue()).toBe("Ping {{ payload.n }}");
  await page.getByLabel("Sample payload (JSON)").fill('{ "n": 7 }');
  await poll(() => page.getByTestId("preview-subject").textContent()).toBe("Ping 7");

  await page.getByLabel("Body (Liquid)").fill("Number {{ payload.n | plus: 1 }} <b>bold</b>");
  await poll(() => page.getByTestId("preview-body").textContent()).toBe("Number 8 <b>bold</b>");

  // A tag left open: Liquid's message shows, at the preview and nothing is saved.
  await page.getByLabel("Body (Liquid)").fill("{% if payload.n %}unclosed");
  await page.getByRole("region", { name: "Preview" }).getByRole("alert").waitFor();
  await page.getByLabel("Body (Liquid)").fill("Ping number {{ payload.n }}, version two");
  await poll(() => page.getByTestId("preview-body").textContent()).toBe("Ping number 7, version two");
  await page.screenshot({ path: screenshotPath("notification-template.png") });
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await page.getByText("Saved as version 2.").waitFor();

  const { templates } = (await fixture.api(companyApi(`/notifications/workflows/${WORKFLOW}/templates`))) as {
    templates: { channel: string; locale: string; version: number; body: string }[];
  };
  const newest = templates
    .filter((template) => template.channel === "in_app" && template.locale === "en")
    .sort((a, b) => b.version - a.version)[0];
  expect(newest).toMatchObject({ version: 2, body: "Ping number {{ payload.n }}, version two" });
  expect(errors).toEqual([]);
});

it("shows a triggered notification in the bell live, and marks it read", { timeout: 90_000 }, async () => {
  const { page, errors } = await openPage(owner);
  let inboxReads = 0;
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.endsWith("/notifications/inbox") && request.method() === "GET")
      inboxReads++;
  });
  await page.goto(fixture.url(`/companies/${companyId}`));
  await page
    .getByRole("status")
    .filter({ hasText: /^Live$/ })
    .waitFor({ timeout: 20_000 });
  await poll(() => bell(page).getAttribute("aria-label")).toMatch(/^Notifications, /);
  const before = (await asUser<{ unread_count: number }>(owner, companyApi("/notifications/inbox")))
    .unread_count;
  await poll(() => bell(page).getAttribute("aria-label")).toBe(
    before === 0 ? "Notifications, none unread" : `Notifications, ${before} unread`,
  );
  const readsBefore = inboxReads;

  const triggered = (await fixture.api(companyApi("/notifications"), {
    method: "POST",
    body: { workflow: WORKFLOW, to: [{ user_id: ownerId }], payload: { n: 42 } },
  })) as { messages: { id: string; channel: string }[] };
  const messageId = triggered.messages.find((message) => message.channel === "in_app")?.id;
  expect(messageId).toBeDefined();

  // It arrives over the live channel: the count goes up without the page reading the inbox again.
  await poll(() => bell(page).getAttribute("aria-label")).toBe(`Notifications, ${before + 1} unread`);
  expect(inboxReads).toBe(readsBefore);
  await bell(page).click();
  const panel = page.getByRole("dialog", { name: "Notifications" });
  const item = panel.getByRole("listitem").filter({ hasText: "Ping 42" });
  await item.waitFor();
  expect(await item.textContent()).toContain("Ping number 42, version two");
  await page.screenshot({ path: screenshotPath("inbox-bell.png") });

  await item.getByRole("button", { name: "Mark read: Ping 42" }).click();
  await poll(() => bell(page).getAttribute("aria-label")).toBe(
    before === 0 ? "Notifications, none unread" : `Notifications, ${before} unread`,
  );
  await item.getByRole("button", { name: "Mark unread: Ping 42" }).waitFor();
  const inbox = await asUser<{ items: { id: string; read_at: string | null }[] }>(
    owner,
    companyApi("/notifications/inbox"),
  );
  expect(inbox.items.find((entry) => entry.id === messageId)?.read_at).not.toBeNull();

  // Escape closes the panel and gives focus back to the bell.
  await page.keyboard.press("Escape");
  await poll(() => panel.isVisible()).toBe(false);
  expect(await bell(page).evaluate((button) => button === button.ownerDocument.activeElement)).toBe(true);

  // The history shows the in-app message as delivered.
  await page.goto(fixture.url(`/companies/${companyId}/notifications?workflow=${WORKFLOW}`));
  await page.getByRole("row").filter({ hasText: "In-app" }).first().getByText("Delivered").waitFor();
  expect(errors).toEqual([]);
});

it("carries a project's chat between two people, with typing and read receipts", {
  timeout: 120_000,
}, async () => {
  const projectUrl = fixture.url(`/companies/${companyId}/projects/${project.id}`);
  const ownerPage = await openPage(owner);
  const memberPage = await openPage(member);
  await Promise.all([ownerPage.page.goto(projectUrl), memberPage.page.goto(projectUrl)]);
  // Both pages' live channels open before anyone speaks (frames sent earlier reach only the history).
  for (const { page } of [ownerPage, memberPage]) {
    const chat = page.getByRole("region", { name: "Chat" });
    await chat
      .getByRole("log", { name: "Messages" })
      .getByText(/No messages yet/)
      .waitFor({ timeout: 20_000 });
    await chat
      .getByRole("status")
      .filter({ hasText: /^Live$/ })
      .waitFor({ timeout: 20_000 });
  }

  const memberInput = memberPage.page.getByLabel("Message", { exact: true });
  await memberInput.pressSequentially("Hello from the site", { delay: 5 });
  await ownerPage.page.getByText("Mia Member is typing…").waitFor();

  await ownerPage.page.bringToFront();
  await memberInput.press("Enter");
  const ownerLog = ownerPage.page.getByRole("log", { name: "Messages" });
  await ownerLog.getByText("Hello from the site").waitFor();
  expect(
    await ownerLog.getByRole("listitem").filter({ hasText: "Hello from the site" }).textContent(),
  ).toContain("Mia Member");

  // The owner's page showed it: the member sees it read by the owner.
  const memberLog = memberPage.page.getByRole("log", { name: "Messages" });
  const sent = memberLog.getByRole("listitem").filter({ hasText: "Hello from the site" });
  await poll(() => sent.textContent()).toContain(`Read by ${DEMO_LOGINS.owner.name}`);
  await memberPage.page.screenshot({ path: screenshotPath("project-chat.png") });

  // And back: the owner answers, the member's page gets it live.
  await ownerPage.page.getByLabel("Message", { exact: true }).fill("Thanks, on my way");
  await ownerPage.page.getByRole("button", { name: "Send" }).click();
  await memberLog.getByText("Thanks, on my way").waitFor();

  // The API holds both messages and the owner's read receipt of the member's.
  const { conversation } = await asUser<{ conversation: { id: string } }>(
    member,
    companyApi(`/projects/${project.id}/chat`),
  );
  const history = await asUser<{
    messages: { id: string; body: string; sender_id: string }[];
    receipts: { message_id: string; user_id: string; read_at: string | null }[];
  }>(member, companyApi(`/chat/conversations/${conversation.id}/messages`));
  const hello = history.messages.find((message) => message.body === "Hello from the site");
  expect(hello?.sender_id).toBe(memberId);
  expect(history.messages.find((message) => message.body === "Thanks, on my way")?.sender_id).toBe(ownerId);
  expect(
    history.receipts.some(
      (receipt) => receipt.message_id === hello?.id && receipt.user_id === ownerId && receipt.read_at,
    ),
  ).toBe(true);
  expect(ownerPage.errors).toEqual([]);
  expect(memberPage.errors).toEqual([]);
});

it("keeps my preferences: an opted-out category is not sent, and the history says why", {
  timeout: 90_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}/notifications/preferences`));
  const cell = page.getByRole("checkbox", { name: "Testing by In-app" });
  await cell.waitFor();
  expect(await cell.isChecked()).toBe(true);
  await cell.uncheck();
  await page.getByLabel("Time zone").selectOption("Europe/Berlin");
  await page.getByRole("checkbox", { name: /^Quiet hours/ }).check();
  await page.getByLabel("Quiet from").fill("22:00");
  await page.getByLabel("Quiet until").fill("07:00");
  await page.getByRole("button", { name: "Save preferences" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  await page.screenshot({ path: screenshotPath("notification-preferences.png") });

  const stored = await asUser<{
    time_zone: string;
    quiet_start: string | null;
    quiet_end: string | null;
    preferences: { category: string; channel: string; enabled: boolean }[];
  }>(owner, companyApi("/notifications/preferences"));
  expect(stored).toMatchObject({ time_zone: "Europe/Berlin", quiet_start: "22:00", quiet_end: "07:00" });
  expect(stored.preferences).toContainEqual({ category: "testing", channel: "in_app", enabled: false });

  // Opted out: the in-app message is not sent, and the history filtered by status shows why.
  const triggered = (await fixture.api(companyApi("/notifications"), {
    method: "POST",
    body: { workflow: WORKFLOW, to: [{ user_id: ownerId }], payload: { n: 43 } },
  })) as { messages: { id: string; channel: string; status: string }[] };
  expect(triggered.messages).toMatchObject([{ channel: "in_app", status: "not_sent" }]);

  await page.goto(fixture.url(`/companies/${companyId}/notifications`));
  await page.getByLabel("Status").selectOption("not_sent");
  await poll(() => new URL(page.url()).searchParams.get("status")).toBe("not_sent");
  const row = page.getByRole("row").filter({ hasText: "opted out" });
  await poll(() => row.count()).toBe(1);
  await row.getByRole("button", { name: /^Details/ }).click();
  await page.getByText("None: the message was not sent.").waitFor();
  await page.screenshot({ path: screenshotPath("notification-history.png") });
  // Nor is it in the inbox.
  const notSent = triggered.messages[0]?.id;
  const inbox = await asUser<{ items: { id: string }[] }>(owner, companyApi("/notifications/inbox"));
  expect(notSent).toBeDefined();
  expect(inbox.items.map((item) => item.id)).not.toContain(notSent);
  expect(errors).toEqual([]);
});

it("creates, changes and deletes workflows, and overrides a built-in (owners; members only read)", {
  timeout: 90_000,
}, async () => {
  type Workflow = { key: string; critical: boolean; channels: string[]; digest_minutes: number | null };
  const workflowOf = async (key: string) =>
    ((await fixture.api(companyApi(`/notifications/workflows/${key}`))) as { workflow: Workflow }).workflow;
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}/notifications/workflows`));
  await page.getByRole("button", { name: "New workflow" }).click();
  const form = page.getByRole("form", { name: "New workflow" });

  // A built-in's key: the API's refusal shows at the field.
  await form.getByLabel("Key").fill("project.assigned");
  await form.getByLabel("Name").fill("Order shipped");
  await form.getByLabel("Category").fill("orders");
  await form.getByLabel("Digest window (minutes)").fill("half an hour");
  await form.getByRole("button", { name: "Create workflow" }).click();
  // The contract refuses the digest before anything is sent…
  await form.getByText("A whole number of minutes from 1 to 10080, or empty").waitFor();
  await form.getByLabel("Digest window (minutes)").fill("30");
  await form.getByRole("button", { name: "Create workflow" }).click();
  // …and the API the key.
  await form.getByText(/"project\.assigned" is a built-in workflow/).waitFor();
  expect(await form.getByLabel("Key").getAttribute("aria-invalid")).toBe("true");

  await form.getByLabel("Key").fill("e2e.shipped");
  await form.getByRole("checkbox", { name: "Email" }).check();
  await form.getByRole("button", { name: "Create workflow" }).click();
  await page.getByRole("status").filter({ hasText: "Created “Order shipped”." }).waitFor();
  expect(await workflowOf("e2e.shipped")).toMatchObject({
    channels: ["email", "in_app"],
    digest_minutes: 30,
    critical: false,
  });

  // A built-in is changed for this company only, and offers no Delete.
  const builtIn = page.locator("tbody tr", { hasText: "Project assigned" }).first();
  expect(await builtIn.getByRole("button", { name: /^Delete/ }).count()).toBe(0);
  await page.getByRole("button", { name: "Edit Project assigned" }).click();
  const edit = page.getByRole("form", { name: "Change Project assigned" });
  await edit.getByRole("checkbox", { name: "Push" }).uncheck();
  await edit.getByRole("checkbox", { name: /^Critical/ }).check();
  await edit.getByLabel("Digest window (minutes)").fill("15");
  await page.screenshot({ path: screenshotPath("notification-workflows.png"), fullPage: true });
  await edit.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("status").filter({ hasText: "Saved “Project assigned”." }).waitFor();
  expect(await workflowOf("project.assigned")).toMatchObject({
    overridden: true,
    critical: true,
    channels: ["email", "in_app"],
    digest_minutes: 15,
  });
  await builtIn.getByText("built-in, changed").waitFor();

  await page.getByRole("button", { name: "Delete Order shipped" }).click();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "Deleted “Order shipped” and its 0 templates" }).waitFor();
  await expect(workflowOf("e2e.shipped")).rejects.toThrow(/404/);
  expect(errors).toEqual([]);

  const memberPage = (await openPage(member)).page;
  await memberPage.goto(fixture.url(`/companies/${companyId}/notifications/workflows`));
  await memberPage.getByRole("link", { name: "Templates of Project assigned" }).waitFor();
  // Offered while the role loads (the API decides), gone once it is known.
  await poll(() => memberPage.getByRole("button", { name: "New workflow" }).count()).toBe(0);
  expect(await memberPage.getByRole("button", { name: /^Edit/ }).count()).toBe(0);
});
