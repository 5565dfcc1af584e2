// The notification history's filters live in the address (`?status=…&channel=…&recipient=…&workflow=…&from=…&to=…`),
// so a filtered history can be linked. Values the API would refuse are dropped rather than sent.
// Recipients are the API's keys (`user:<id>`, `email:<address>`, `phone:<E.164>`); people type an
// address, a phone number or a member's email, and read names.
import {
  IsoDateSchema,
  type ListNotificationMessagesQuery,
  NotificationChannelSchema,
  NotificationStatusSchema,
  NotificationWorkflowKeySchema,
} from "@nexus/contracts";
import type { Member } from "../../lib/members.ts";

export interface NotificationFilters {
  status?: ListNotificationMessagesQuery["status"];
  channel?: ListNotificationMessagesQuery["channel"];
  /** A recipient key. */
  recipient?: string;
  workflow?: string;
  /** ISO times: created at or after `from`, before `to`. */
  from?: string;
  to?: string;
}

const FIELDS = ["status", "channel", "recipient", "workflow", "from", "to"] as const;
const MAX_RECIPIENT = 300;

/** Reads the filters from a query string (with or without its `?`). */
export function notificationFiltersFrom(search: string): NotificationFilters {
  const query = new URLSearchParams(search);
  const filters: NotificationFilters = {};
  const status = NotificationStatusSchema.safeParse(query.get("status"));
  const channel = NotificationChannelSchema.safeParse(query.get("channel"));
  const workflow = NotificationWorkflowKeySchema.safeParse(query.get("workflow"));
  const recipient = query.get("recipient")?.trim() ?? "";
  if (status.success) filters.status = status.data;
  if (channel.success) filters.channel = channel.data;
  if (recipient && recipient.length <= MAX_RECIPIENT) filters.recipient = recipient;
  if (workflow.success) filters.workflow = workflow.data;
  for (const end of ["from", "to"] as const) {
    const value = query.get(end);
    if (value && IsoDateSchema.safeParse(value).success) filters[end] = value;
  }
  return filters;
}

/** The query string for `filters`: "" when there are none, else starting with `?`. */
export function notificationFiltersQuery(filters: NotificationFilters): string {
  const query = new URLSearchParams();
  for (const field of FIELDS) {
    const value = filters[field];
    if (value) query.set(field, value);
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

export const hasNotificationFilters = (filters: NotificationFilters): boolean =>
  notificationFiltersQuery(filters) !== "";

/**
 * What a person typed as a recipient, as the API's key: a member's email is that member (their
 * messages on every channel), another address an email recipient, `+…` a phone number; a key typed
 * as such stays. Empty text is no filter.
 */
export function recipientKeyOf(text: string, members: readonly Member[]): string | undefined {
  const typed = text.trim();
  if (!typed) return undefined;
  if (/^(user|email|phone):/.test(typed)) return typed;
  if (typed.includes("@")) {
    const address = typed.toLowerCase();
    const member = members.find((candidate) => candidate.email.toLowerCase() === address);
    return member ? `user:${member.user_id}` : `email:${address}`;
  }
  if (/^\+\d/.test(typed)) return `phone:${typed.replace(/[\s()-]/g, "")}`;
  // A member's name, as the field suggests them.
  const byName = members.find((candidate) => candidate.name.toLowerCase() === typed.toLowerCase());
  return byName ? `user:${byName.user_id}` : typed;
}

/** A recipient key for people: a member's name (or email), an address, a number. */
export function recipientLabel(key: string, names: ReadonlyMap<string, string>): string {
  const [kind = "", ...restParts] = key.split(":");
  const rest = restParts.join(":");
  if (kind === "user") return names.get(rest) ?? `User ${rest}`;
  if (kind === "email" || kind === "phone") return rest;
  return key;
}

/** The recipient filter's text for a key: what `recipientKeyOf` reads back to the same key. */
export function recipientText(key: string | undefined, members: readonly Member[]): string {
  if (!key) return "";
  if (key.startsWith("user:")) {
    const member = members.find((candidate) => `user:${candidate.user_id}` === key);
    return member ? member.email : key;
  }
  if (key.startsWith("email:") || key.startsWith("phone:")) return key.slice(key.indexOf(":") + 1);
  return key;
}
