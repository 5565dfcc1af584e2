// What the notification tests share: a company with an owner, a member and an installer (real
// better-auth users), triggers through the real route (optionally with a watched queue binding), and
// the stored message rows read back from the company's own database.
import { env } from "cloudflare:workers";
import type { TriggerNotificationResponse } from "@nexus/contracts";
import { expect } from "vitest";
import { call, callAsOperator, callWithEnv, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";
import { userId } from "../projects/fixtures.ts";

export const notificationsPath = (companyId: string) => `/api/admin/companies/${companyId}/notifications`;

export interface NotifyCompany {
  companyId: string;
  ownerCookie: string;
  ownerId: string;
  memberCookie: string;
  memberId: string;
  installerId: string;
}

/**
 * A company with an owner, a member and an installer, named after `tag` (each test has its own
 * storage). Sign-up is rate limited (3 per 10 s per client), so a test makes at most three users:
 * `ownerOnly` leaves room for a rival's owner.
 */
export async function notifyCompany(
  tag: string,
  options: { ownerOnly?: boolean } = {},
): Promise<NotifyCompany> {
  return makeCompany(tag, options.ownerOnly ?? false);
}

/** Another company, with its owner signed up when a test needs a user outside the first company. */
export async function rivalCompany(
  tag: string,
  options: { withOwner?: boolean } = {},
): Promise<{ companyId: string; ownerId: string | null }> {
  const ownerEmail = `owner@${tag}.example`;
  const registered = await registerCompany({ admin_email: ownerEmail, company_name: `Rival ${tag}` });
  if (!options.withOwner) return { companyId: registered.company_id, ownerId: null };
  await companyOwner(registered.company_id, ownerEmail);
  return { companyId: registered.company_id, ownerId: await userId(ownerEmail) };
}

async function makeCompany(tag: string, ownerOnly: boolean): Promise<NotifyCompany> {
  const ownerEmail = `owner@${tag}.example`;
  const registered = await registerCompany({ admin_email: ownerEmail, company_name: `Notify ${tag}` });
  const companyId = registered.company_id;
  const ownerCookie = await companyOwner(companyId, ownerEmail);
  const ownerId = await userId(ownerEmail);
  if (ownerOnly) return { companyId, ownerCookie, ownerId, memberCookie: "", memberId: "", installerId: "" };
  const memberCookie = await companyMember(ownerCookie, companyId, `member@${tag}.example`, "member");
  await companyMember(ownerCookie, companyId, `fitter@${tag}.example`, "installer");
  return {
    companyId,
    ownerCookie,
    ownerId,
    memberCookie,
    memberId: await userId(`member@${tag}.example`),
    installerId: await userId(`fitter@${tag}.example`),
  };
}

export interface TriggerAuth {
  cookie?: string;
  token?: string;
  idempotencyKey?: string;
  /** Calls the worker with this binding as NOTIFICATIONS_QUEUE (test/watched-queue.ts). */
  queue?: Queue;
}

export function triggerCall(companyId: string, body: unknown, auth: TriggerAuth = {}) {
  const headers: Record<string, string> = {};
  if (auth.idempotencyKey !== undefined) headers["idempotency-key"] = auth.idempotencyKey;
  if (auth.cookie) headers.cookie = auth.cookie;
  const options = { body, headers, ...(auth.token ? { token: auth.token } : {}) };
  if (auth.queue) {
    return callWithEnv(
      { NOTIFICATIONS_QUEUE: auth.queue },
      notificationsPath(companyId),
      auth.cookie || auth.token ? options : { ...options, token: env.NEXUS_ADMIN_SECRET },
    );
  }
  if (auth.cookie || auth.token) return call(notificationsPath(companyId), options);
  return callAsOperator(notificationsPath(companyId), options);
}

/** A trigger that must answer `status`. */
export async function trigger(
  companyId: string,
  body: unknown,
  auth: TriggerAuth = {},
  status = 202,
): Promise<TriggerNotificationResponse> {
  const response = await triggerCall(companyId, body, auth);
  expect(response.status, await response.clone().text()).toBe(status);
  return json<TriggerNotificationResponse>(response);
}

export interface StoredMessage {
  id: string;
  recipient_key: string;
  channel: string;
  status: string;
  status_reason: string | null;
  subject: string | null;
  body: string;
  address: string | null;
  locale: string;
  triggered_by: string | null;
}

/** The company's stored messages for an idempotency key (or all of them), oldest first. */
export async function storedMessages(companyId: string, idempotencyKey?: string): Promise<StoredMessage[]> {
  const db = await tenantDatabase(env, companyId);
  const where = idempotencyKey === undefined ? "" : "WHERE idempotency_key = ?";
  const statement = db.prepare(
    `SELECT id, recipient_key, channel, status, status_reason, subject, body, address, locale, triggered_by FROM notification_messages ${where} ORDER BY id`,
  );
  const rows = await (idempotencyKey === undefined
    ? statement
    : statement.bind(idempotencyKey)
  ).all<StoredMessage>();
  return rows.results;
}

/** An API key of the company with these permissions. */
export async function apiKey(companyId: string, permissions: Record<string, string[]>): Promise<string> {
  const created = await callAsOperator(`/api/admin/companies/${companyId}/api-keys`, {
    body: { name: "Notifications", permissions },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  return (await json<{ key: string }>(created)).key;
}
