// Dashboard users in tests: sign-up, sign-in and organization calls through better-auth's real
// routes; a session is the cookie header they answer with.
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE_URL, callAsOperator, json } from "./helpers.ts";

export const PASSWORD = "correct horse battery";

export function authCall(path: string, options: { body?: unknown; cookie?: string; method?: string } = {}) {
  const headers = new Headers({ origin: BASE_URL });
  if (options.body !== undefined) headers.set("content-type", "application/json");
  if (options.cookie) headers.set("cookie", options.cookie);
  return exports.default.fetch(
    new Request(`${BASE_URL}/api/auth${path}`, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
  );
}

export const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");

/** Signs up and confirms the address through the link in the verification mail. */
export async function signUp(email: string, name = email.split("@")[0] ?? "user"): Promise<string> {
  const response = await authCall("/sign-up/email", { body: { email, password: PASSWORD, name } });
  expect(response.status, await response.clone().text()).toBe(200);
  await verifyEmail(email);
  return cookieOf(response);
}

export async function verifyEmail(email: string): Promise<void> {
  const mail = await env.CENTRAL_DB.prepare(
    "SELECT text FROM mail_outbox WHERE \"to\" = ? AND subject LIKE 'Confirm%' ORDER BY id DESC LIMIT 1",
  )
    .bind(email.toLowerCase())
    .first<{ text: string }>();
  const link = /https?:\/\/\S+/.exec(mail?.text ?? "")?.[0];
  if (!link) throw new Error(`no verification mail for ${email}`);
  const response = await exports.default.fetch(new Request(link, { redirect: "manual" }));
  expect(response.status, await response.clone().text()).toBeLessThan(400);
}

export async function signIn(email: string, password = PASSWORD): Promise<string> {
  const response = await authCall("/sign-in/email", { body: { email, password } });
  expect(response.status, await response.clone().text()).toBe(200);
  return cookieOf(response);
}

/** The newest pending invitation for an email (its id is also in the invitation mail). */
export async function pendingInvitation(email: string, companyId: string): Promise<string> {
  const row = await env.CENTRAL_DB.prepare(
    "SELECT id FROM invitation WHERE email = ? AND organization_id = ? AND status = 'pending' ORDER BY created_at DESC LIMIT 1",
  )
    .bind(email.toLowerCase(), companyId)
    .first<{ id: string }>();
  if (!row) throw new Error(`no pending invitation for ${email}`);
  return row.id;
}

export async function acceptInvitation(cookie: string, invitationId: string): Promise<void> {
  const response = await authCall("/organization/accept-invitation", { body: { invitationId }, cookie });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** Signs up the company's admin_email and accepts the owner invitation registration sent. */
export async function companyOwner(companyId: string, email: string): Promise<string> {
  const cookie = await signUp(email);
  await acceptInvitation(cookie, await pendingInvitation(email, companyId));
  return cookie;
}

/** Invites `email` with `role` as `inviterCookie`, signs the invitee up and accepts. */
export async function companyMember(
  inviterCookie: string,
  companyId: string,
  email: string,
  role = "member",
) {
  const invited = await authCall("/organization/invite-member", {
    body: { email, role, organizationId: companyId },
    cookie: inviterCookie,
  });
  expect(invited.status, await invited.clone().text()).toBe(200);
  const cookie = await signUp(email);
  await acceptInvitation(cookie, await pendingInvitation(email, companyId));
  return cookie;
}

/** A platform operator created with the operator secret, signed in. */
export async function operatorSession(email = "operator@nexus.test"): Promise<string> {
  const created = await callAsOperator("/api/admin/operators", {
    body: { email, name: "Operator", password: PASSWORD },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  await json(created);
  return signIn(email);
}
