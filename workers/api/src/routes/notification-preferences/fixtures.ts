// What the notification preference, inbox and push subscription tests share: a company with a
// signed-in owner and member, calls as one of them, and message rows written as the trigger and the
// in-app provider write them (the inbox shows delivered in-app rows).
import { env } from "cloudflare:workers";
import { newId } from "@nexus/db";
import { notificationMessages } from "@nexus/db/tenant";
import { drizzle } from "drizzle-orm/d1";
import { type CallOptions, call, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";
import { company, userId } from "../projects/fixtures.ts";

export interface NotifyCompany {
  companyId: string;
  owner: string;
  ownerId: string;
  member: string;
  memberId: string;
  memberEmail: string;
}

/**
 * A company with its owner and one member (role `member`), both signed in. Sign-ups are rate limited
 * (3 in 10 s, per test): a second company in a test goes without its member (`member: false`).
 */
export async function notifyCompany(
  name: string,
  options: { member?: boolean } = {},
): Promise<NotifyCompany> {
  const ownerEmail = `owner@${name}.example`;
  const memberEmail = `mia@${name}.example`;
  const { company_id: companyId } = await registerCompany({ admin_email: ownerEmail });
  const owner = await companyOwner(companyId, ownerEmail);
  const ownerId = await userId(ownerEmail);
  if (options.member === false)
    return { companyId, owner, ownerId, member: owner, memberId: ownerId, memberEmail: ownerEmail };
  const member = await companyMember(owner, companyId, memberEmail, "member");
  return { companyId, owner, ownerId, member, memberId: await userId(memberEmail), memberEmail };
}

export const notificationsPath = (companyId: string) => `${company(companyId)}/notifications`;

/** A call as the signed-in user of `cookie`. */
export const callAs = (cookie: string, path: string, options: Omit<CallOptions, "token"> = {}) =>
  call(path, { ...options, headers: { ...options.headers, cookie } });

export type MessageFields = Partial<typeof notificationMessages.$inferInsert> & { recipientKey: string };

/** Writes a message row; by default a delivered in-app one (an inbox item). Answers its id. */
export async function insertMessage(companyId: string, fields: MessageFields): Promise<string> {
  const now = fields.createdAt ?? Date.now();
  const id = fields.id ?? newId(now);
  await drizzle(await tenantDatabase(env, companyId))
    .insert(notificationMessages)
    .values({
      workflowKey: "project.assigned",
      category: "projects",
      channel: "in_app",
      subject: "Project Kitchen Miller",
      body: "Anna assigned you to Kitchen Miller.",
      payload: { project: { id: "prj_1" } },
      status: "delivered",
      deliveredAt: now,
      createdAt: now,
      updatedAt: now,
      ...fields,
      id,
    });
  return id;
}

/** "HH:MM" of an instant in UTC (quiet hours in tests are set in UTC). */
export const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** The mails the Resend stand-in accepted for `address`. */
export async function emailsTo(
  address: string,
): Promise<{ subject?: string; html?: string; text?: string }[]> {
  const response = await fetch(
    `http://notify-stand-in.test/_stand-in/emails?to=${encodeURIComponent(address)}`,
  );
  return ((await response.json()) as { emails: { subject?: string; html?: string; text?: string }[] }).emails;
}

/** Reads until `done` (the queue's consumer works in the background), for at most 15 s. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
