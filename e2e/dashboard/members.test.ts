// Members, invitations, password reset and API keys in Debian's Chromium against the whole local
// system (fixture.ts): the owner invites someone who opens the mailed link signed out, creates an
// account, confirms the address and joins; the owner changes their role and removes them. A
// forgotten password is reset through the mailed link, once. An API key created in the page works
// against the API until it is revoked in the page.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_COMPANY, DEMO_LOGINS } from "../../scripts/seed-demo.ts";
import { type DashboardFixture, openPage, screenshotPath, signIn, startDashboardFixture } from "./fixture.ts";

const INVITEE = {
  name: "Nina Newcomer",
  email: "nina.newcomer@demo-manufacturing.example",
  password: "nina-first-password",
};
const FORGETFUL = {
  name: "Frank Forgetful",
  email: "frank@demo-manufacturing.example",
  password: "franks-old-password",
};

let fixture: DashboardFixture;
let companyId: string;
/** The owner's browser, shared by the tests (sign-in is rate limited per IP). */
let owner: BrowserContext;

interface Mail {
  subject: string;
  text: string;
}
interface Member {
  email: string;
  role: string;
}

beforeAll(async () => {
  fixture = await startDashboardFixture();
  companyId = fixture.demoCompanyId;
  owner = await fixture.newContext({ login: DEMO_LOGINS.owner });
}, 180_000);

afterAll(async () => {
  await fixture?.stop();
});

/** The newest mail to `to` whose subject starts with `subject`, waiting for it to be sent. */
async function mailTo(to: string, subject: string): Promise<Mail> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { mail } = (await fixture.api(`/api/admin/mail-outbox?to=${encodeURIComponent(to)}`)) as {
      mail: Mail[];
    };
    const found = mail.find((message) => message.subject.startsWith(subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail "${subject}…" to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const linkIn = (mail: Mail): string => {
  const link = /https?:\/\/\S+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no link in "${mail.subject}": ${mail.text}`);
  return link;
};

async function members(): Promise<Member[]> {
  return ((await fixture.api(`/api/admin/companies/${companyId}/members`)) as { members: Member[] }).members;
}

/** A table row by its text, through its accessible name (so the table must expose one). */
const row = (page: Page, text: string) => page.getByRole("row", { name: text });

/** Nothing wider than the window: the page never scrolls sideways. */
async function fitsWidth(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 1024 });
  expect(await page.locator("html").evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(width);
  await page.setViewportSize({ width: 1280, height: 800 });
}

it("invites someone who joins through the mailed link; the owner changes their role and removes them", {
  timeout: 120_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}/members`));
  await page.getByRole("heading", { name: "Members", exact: true }).waitFor();
  await row(page, DEMO_LOGINS.owner.email).getByText("You").waitFor();
  await page.getByRole("heading", { name: "What each role may do" }).waitFor();

  // Invite by email and role.
  const inviteForm = page.getByRole("form", { name: "Invite someone" });
  await inviteForm.getByLabel("Email").fill(INVITEE.email);
  await inviteForm.getByLabel("Role", { exact: true }).selectOption("member");
  await inviteForm.getByRole("button", { name: "Send invitation" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `Invitation sent to ${INVITEE.email}` })
    .waitFor();
  await row(page, INVITEE.email).getByText("member").waitFor();

  // The mail links to the dashboard's invitation page.
  const invitationMail = await mailTo(INVITEE.email, "You are invited");
  const invitationLink = linkIn(invitationMail);
  expect(invitationLink).toMatch(new RegExp(`^${fixture.dashboard.url.origin}/invitations/\\S+$`));

  // Signed out, the page explains and offers an account.
  const invitee = await fixture.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const guest = await openPage(invitee);
    await guest.page.goto(invitationLink);
    await guest.page.getByRole("heading", { name: "You are invited to a company" }).waitFor();
    await guest.page.getByRole("link", { name: "Create an account" }).click();
    await guest.page.getByRole("heading", { name: "Create an account" }).waitFor();
    await guest.page.getByLabel("Name").fill(INVITEE.name);
    await guest.page.getByLabel("Email").fill(INVITEE.email);
    await guest.page.getByLabel("Password").fill(INVITEE.password);
    await guest.page.getByRole("button", { name: "Create account" }).click();

    // Back on the invitation, signed in; better-auth wants the address confirmed before answering.
    await guest.page.getByRole("heading", { name: "Confirm your email address first" }).waitFor();
    expect(new URL(guest.page.url()).pathname).toBe(new URL(invitationLink).pathname);
    const confirmation = linkIn(await mailTo(INVITEE.email, "Confirm your email"));
    await guest.page.goto(confirmation);
    // The confirmation link goes through the API and comes back to the invitation.
    await guest.page.getByRole("heading", { name: `Join ${DEMO_COMPANY.company_name}` }).waitFor();
    expect(guest.page.url()).toBe(invitationLink);
    await guest.page.getByText(DEMO_LOGINS.owner.email).waitFor();
    await guest.page.screenshot({ path: screenshotPath("invitation.png") });

    await guest.page.getByRole("button", { name: "Accept" }).click();
    await guest.page.getByRole("heading", { level: 1, name: DEMO_COMPANY.company_name }).waitFor();
    expect(new URL(guest.page.url()).pathname).toBe(`/companies/${companyId}`);
    expect(guest.errors).toEqual([]);
  } finally {
    await invitee.close();
  }
  expect(await members()).toContainEqual(expect.objectContaining({ email: INVITEE.email, role: "member" }));

  // The owner's list shows the new member with the role; the invitation is no longer pending.
  await page.reload();
  const newcomer = row(page, INVITEE.email);
  await newcomer.waitFor();
  const roleSelect = newcomer.getByLabel(`Role of ${INVITEE.name}`);
  expect(await roleSelect.inputValue()).toBe("member");
  await page.getByText("No pending invitations").waitFor();

  // Change the role: the API agrees.
  await roleSelect.selectOption("admin");
  await newcomer.getByRole("button", { name: "Save role" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `${INVITEE.name} is now admin.` })
    .waitFor();
  expect(await members()).toContainEqual(expect.objectContaining({ email: INVITEE.email, role: "admin" }));
  await page.screenshot({ path: screenshotPath("members.png"), fullPage: true });

  // The only owner cannot step down: the refusal is said plainly and the choice goes back.
  const ownerRow = row(page, DEMO_LOGINS.owner.email);
  const ownerRole = ownerRow.getByLabel(/^Role of /);
  await ownerRole.selectOption("member");
  await ownerRow.getByRole("button", { name: "Save role" }).click();
  await page.getByRole("alert").filter({ hasText: "The company needs an owner" }).waitFor();
  await expect.poll(() => ownerRole.inputValue()).toBe("owner");
  await page.getByRole("button", { name: "Dismiss" }).click();

  // Removing asks first; Cancel keeps them.
  await newcomer.getByRole("button", { name: `Remove ${INVITEE.name}` }).click();
  await newcomer
    .getByRole("group")
    .getByText(`Remove ${INVITEE.name} from ${DEMO_COMPANY.company_name}?`)
    .waitFor();
  await newcomer.getByRole("button", { name: "Cancel" }).click();
  expect(await members()).toContainEqual(expect.objectContaining({ email: INVITEE.email }));
  await newcomer.getByRole("button", { name: `Remove ${INVITEE.name}` }).click();
  await newcomer.getByRole("button", { name: "Yes, remove" }).click();
  await newcomer.waitFor({ state: "detached" });
  expect((await members()).map((member) => member.email)).not.toContain(INVITEE.email);

  await fitsWidth(page, 768);
  expect(errors).toEqual([]);
});

it("resets a forgotten password through the mailed link, which works once", { timeout: 90_000 }, async () => {
  const signedUp = await fetch(fixture.url("/api/auth/sign-up/email"), {
    method: "POST",
    headers: { "content-type": "application/json", origin: fixture.dashboard.url.origin },
    body: JSON.stringify(FORGETFUL),
  });
  expect(signedUp.status, await signedUp.text()).toBe(200);

  const context = await fixture.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const { page, errors } = await openPage(context);
    await page.goto(fixture.url("/sign-in"));
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByRole("heading", { name: "Reset your password" }).waitFor();
    await page.getByLabel("Email").fill(FORGETFUL.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();

    // The link goes to the API, which checks the token and sends the browser to the dashboard.
    const link = linkIn(await mailTo(FORGETFUL.email, "Reset your"));
    expect(link.startsWith(`${fixture.system.url.origin}/api/auth/reset-password/`)).toBe(true);
    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    expect(new URL(page.url()).origin).toBe(fixture.dashboard.url.origin);
    expect(new URL(page.url()).searchParams.get("token")).toBeTruthy();

    const newPassword = "franks-brand-new-password";
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.screenshot({ path: screenshotPath("reset-password.png") });
    await page.getByLabel("Repeat the new password").fill("a different one!");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByRole("alert").filter({ hasText: "not the same" }).waitFor();
    await page.getByLabel("Repeat the new password").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();

    await page.getByRole("status").filter({ hasText: "Your password was changed" }).waitFor();
    await signIn(page, { email: FORGETFUL.email, password: newPassword });
    await page.getByRole("heading", { level: 1, name: "Your companies" }).waitFor();
    const old = await fetch(fixture.url("/api/auth/sign-in/email"), {
      method: "POST",
      headers: { "content-type": "application/json", origin: fixture.dashboard.url.origin },
      body: JSON.stringify({ email: FORGETFUL.email, password: FORGETFUL.password }),
    });
    expect(old.status).toBe(401);

    // The same link again: it no longer works, and the page says so.
    await page.goto(link);
    await page.getByRole("alert").filter({ hasText: "This reset link no longer works" }).waitFor();
    expect(new URL(page.url()).searchParams.get("error")).toBe("INVALID_TOKEN");
    await page.getByRole("button", { name: "Send reset link" }).waitFor();
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

it("creates an API key whose secret is shown once, which works until it is revoked", {
  timeout: 90_000,
}, async () => {
  const { page, errors } = await openPage(owner);
  await page.goto(fixture.url(`/companies/${companyId}/api-keys`));
  await page.getByRole("button", { name: "Create API key" }).click();
  await page.getByLabel("Name").fill("ERP sync");
  await page.getByRole("group", { name: "installations" }).getByLabel("read", { exact: true }).check();
  await page.getByLabel("Expires").selectOption("30");
  await page.getByRole("button", { name: "Create key" }).click();

  await page.getByRole("heading", { name: "Your new key “ERP sync”" }).waitFor();
  await page.getByText("it is shown only once").waitFor();
  const key = (await page.getByTestId("one-time-secret").textContent()) ?? "";
  expect(key).toMatch(/^nxk_/);
  await page.screenshot({ path: screenshotPath("api-keys.png"), fullPage: true });

  // The key works against the API, on the routes its permissions allow.
  const installations = new URL(`/api/admin/companies/${companyId}/installations`, fixture.system.url);
  const withKey = () => fetch(installations, { headers: { authorization: `Bearer ${key}` } });
  expect((await withKey()).status).toBe(200);
  const audit = await fetch(new URL(`/api/admin/companies/${companyId}/audit-log`, fixture.system.url), {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(audit.status).toBe(403);

  // Once dismissed, the secret is gone for good.
  await page.getByRole("button", { name: "I have stored the key" }).click();
  const listed = row(page, "ERP sync");
  await listed.getByText("Active").waitFor();
  await listed.getByText("installations: read").waitFor();
  // It expires in 30 days, as chosen.
  const { api_keys } = (await fixture.api(`/api/admin/companies/${companyId}/api-keys`)) as {
    api_keys: { name: string; expires_at: string | null }[];
  };
  const expiresAt = Date.parse(api_keys.find((k) => k.name === "ERP sync")?.expires_at ?? "");
  expect(Math.abs(expiresAt - (Date.now() + 30 * 86_400_000))).toBeLessThan(5 * 60_000);
  await listed.getByText(/^until /).waitFor();
  await page.reload();
  await listed.waitFor();
  expect(await page.locator("body").textContent()).not.toContain(key);

  await listed.getByRole("button", { name: "Revoke ERP sync" }).click();
  await listed.getByRole("button", { name: "Yes, revoke" }).click();
  await listed.getByText("Revoked").waitFor();
  expect((await withKey()).status).toBe(401);

  await fitsWidth(page, 768);
  expect(errors).toEqual([]);
});
