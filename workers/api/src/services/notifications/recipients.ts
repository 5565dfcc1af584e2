// Who a trigger's `to` names: users of the company (members and installers, by id or by role) and
// raw email addresses or phone numbers, as recipient keys (`user:<id>`, `email:<address>`,
// `phone:<E.164>`) with what each channel needs. A user outside the company is refused, so a trigger
// can never reach (or reveal) another company's people.
import type { NotificationChannel, NotificationRecipient } from "@nexus/contracts";
import { member, user } from "@nexus/db/auth";
import { companies } from "@nexus/db/central";
import { notificationRecipientSettings, pushSubscriptions } from "@nexus/db/tenant";
import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../../lib/errors.ts";

export interface ResolvedRecipient {
  key: string;
  userId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
}

const hasRole = (roles: string, role: string) => roles.split(",").includes(role);

async function companyMembers(central: D1Database, companyId: string) {
  return drizzle(central)
    .select({ userId: member.userId, role: member.role, name: user.name, email: user.email })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.organizationId, companyId));
}

/** The recipients of `to`, each once (a user named by id and by role gets one set of messages). */
export async function resolveRecipients(
  env: Env,
  tenant: D1Database,
  companyId: string,
  to: readonly NotificationRecipient[],
): Promise<ResolvedRecipient[]> {
  const needsMembers = to.some((entry) => "user_id" in entry || "role" in entry);
  const members = needsMembers ? await companyMembers(env.CENTRAL_DB, companyId) : [];
  const byUser = new Map(members.map((row) => [row.userId, row]));
  const found = new Map<string, Omit<ResolvedRecipient, "locale">>();
  const strangers: number[] = [];
  for (const [index, entry] of to.entries()) {
    if ("user_id" in entry) {
      const row = byUser.get(entry.user_id);
      if (!row) strangers.push(index);
      else found.set(`user:${row.userId}`, userRecipient(row));
    } else if ("role" in entry) {
      for (const row of members)
        if (hasRole(row.role, entry.role)) found.set(`user:${row.userId}`, userRecipient(row));
    } else if ("email" in entry) {
      const email = entry.email.toLowerCase();
      found.set(`email:${email}`, { key: `email:${email}`, userId: null, name: null, email, phone: null });
    } else {
      found.set(`phone:${entry.phone}`, {
        key: `phone:${entry.phone}`,
        userId: null,
        name: null,
        email: null,
        phone: entry.phone,
      });
    }
  }
  if (strangers.length > 0) {
    throw new ApiError(
      "NOTIFICATION_RECIPIENT_INVALID",
      "Some recipients are not members of this company; send to members, installers, roles, or raw addresses.",
      {
        issues: strangers.map((index) => ({
          path: `to.${index}.user_id`,
          message: "Not a member of this company",
        })),
      },
    );
  }
  const locales = await recipientLocales(tenant, [...found.keys()]);
  return [...found.values()].map((recipient) => ({
    ...recipient,
    locale: locales.get(recipient.key) ?? "en",
  }));
}

function userRecipient(row: {
  userId: string;
  name: string;
  email: string;
}): Omit<ResolvedRecipient, "locale"> {
  // No phone is known for users today, so their SMS messages are not sent ("no phone").
  return {
    key: `user:${row.userId}`,
    userId: row.userId,
    name: row.name,
    email: row.email.toLowerCase(),
    phone: null,
  };
}

async function recipientLocales(tenant: D1Database, keys: string[]): Promise<Map<string, string>> {
  const locales = new Map<string, string>();
  const orm = drizzle(tenant);
  // D1 binds at most 100 parameters per statement.
  for (let start = 0; start < keys.length; start += 90) {
    const rows = await orm
      .select({
        key: notificationRecipientSettings.recipientKey,
        locale: notificationRecipientSettings.locale,
      })
      .from(notificationRecipientSettings)
      .where(inArray(notificationRecipientSettings.recipientKey, keys.slice(start, start + 90)));
    for (const row of rows) if (row.locale) locales.set(row.key, row.locale);
  }
  return locales;
}

/** Recipient keys that have at least one push subscription. */
export async function recipientsWithPush(tenant: D1Database, keys: string[]): Promise<Set<string>> {
  const withPush = new Set<string>();
  const orm = drizzle(tenant);
  for (let start = 0; start < keys.length; start += 90) {
    const rows = await orm
      .selectDistinct({ key: pushSubscriptions.recipientKey })
      .from(pushSubscriptions)
      .where(inArray(pushSubscriptions.recipientKey, keys.slice(start, start + 90)));
    for (const row of rows) withPush.add(row.key);
  }
  return withPush;
}

/** Where a channel goes for a recipient, or why it cannot (then the message is `not_sent`). */
export function channelAddress(
  recipient: ResolvedRecipient,
  channel: NotificationChannel,
  withPush: Set<string>,
): { address: string | null } | { skip: string } | null {
  const isUser = recipient.userId !== null;
  switch (channel) {
    case "email":
      return recipient.email === null ? null : { address: recipient.email };
    case "sms":
      if (recipient.phone !== null) return { address: recipient.phone };
      return isUser ? { skip: "no phone" } : null;
    case "push":
      if (!isUser) return null;
      return withPush.has(recipient.key) ? { address: null } : { skip: "no push subscription" };
    case "in_app":
      return isUser ? { address: null } : null;
  }
}

export async function companyName(env: Env, companyId: string): Promise<string> {
  const [row] = await drizzle(env.CENTRAL_DB)
    .select({ name: companies.companyName })
    .from(companies)
    .where(and(eq(companies.id, companyId)));
  return row?.name ?? "";
}
