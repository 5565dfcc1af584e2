// The history of a company's notifications: its message rows, newest first (ids are time-ordered),
// filtered by status, channel, recipient, workflow and creation time, and one message's attempts.
import type {
  NotificationAttempt,
  NotificationChannel,
  NotificationMessage,
  NotificationStatus,
} from "@nexus/contracts";
import { notificationAttempts, notificationMessages } from "@nexus/db/tenant";
import { asc, eq, gte, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../../lib/errors.ts";
import { listPage, type Page } from "../list-page.ts";

type MessageRow = typeof notificationMessages.$inferSelect;
type AttemptRow = typeof notificationAttempts.$inferSelect;

/**
 * A recipient filter as typed: a recipient key as stored, or a bare address (`a@b.example`,
 * `+4930…`) or user id, which is turned into its key.
 */
export function recipientKeyOf(recipient: string): string {
  if (/^(user|email|phone):/.test(recipient)) {
    return recipient.startsWith("email:") ? recipient.toLowerCase() : recipient;
  }
  if (recipient.includes("@")) return `email:${recipient.toLowerCase()}`;
  if (recipient.startsWith("+")) return `phone:${recipient}`;
  return `user:${recipient}`;
}

export interface MessageFilters {
  status?: NotificationStatus | undefined;
  channel?: NotificationChannel | undefined;
  recipient?: string | undefined;
  workflow?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export async function listMessages(db: D1Database, query: MessageFilters): Promise<Page<MessageRow>> {
  const m = notificationMessages;
  return listPage(
    { cursor: query.cursor, limit: query.limit },
    m.id,
    [
      query.status ? eq(m.status, query.status) : undefined,
      query.channel ? eq(m.channel, query.channel) : undefined,
      query.recipient ? eq(m.recipientKey, recipientKeyOf(query.recipient)) : undefined,
      query.workflow ? eq(m.workflowKey, query.workflow) : undefined,
      query.from ? gte(m.createdAt, Date.parse(query.from)) : undefined,
      query.to ? lt(m.createdAt, Date.parse(query.to)) : undefined,
    ],
    ({ where, orderBy, limit }) => drizzle(db).select().from(m).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
}

export async function getMessageWithAttempts(
  db: D1Database,
  messageId: string,
): Promise<{ message: MessageRow; attempts: AttemptRow[] }> {
  const orm = drizzle(db);
  const [[message], attempts] = await orm.batch([
    orm.select().from(notificationMessages).where(eq(notificationMessages.id, messageId)),
    orm
      .select()
      .from(notificationAttempts)
      .where(eq(notificationAttempts.messageId, messageId))
      .orderBy(asc(notificationAttempts.createdAt), asc(notificationAttempts.attempt)),
  ]);
  if (!message) {
    throw new ApiError(
      "NOTIFICATION_MESSAGE_NOT_FOUND",
      "There is no such notification message in this company.",
    );
  }
  return { message, attempts };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const toMessageView = (row: MessageRow): NotificationMessage => ({
  id: row.id,
  workflow: row.workflowKey,
  category: row.category,
  critical: row.critical,
  recipient_key: row.recipientKey,
  // Written by triggerWorkflow from the contract's channels and Knock's states only.
  channel: row.channel as NotificationChannel,
  address: row.address,
  locale: row.locale,
  subject: row.subject,
  body: row.body,
  status: row.status as NotificationStatus,
  status_reason: row.statusReason,
  provider: row.provider,
  provider_message_id: row.providerMessageId,
  attempts: row.attempts,
  scheduled_for: iso(row.scheduledFor),
  digest_key: row.digestKey,
  idempotency_key: row.idempotencyKey,
  triggered_by: row.triggeredBy,
  created_at: new Date(row.createdAt).toISOString(),
  updated_at: new Date(row.updatedAt).toISOString(),
  sent_at: iso(row.sentAt),
  delivered_at: iso(row.deliveredAt),
  read_at: iso(row.readAt),
});

export const toAttemptView = (row: AttemptRow): NotificationAttempt => ({
  id: row.id,
  attempt: row.attempt,
  provider: row.provider,
  outcome: row.outcome,
  error: row.error,
  http_status: row.httpStatus,
  latency_ms: row.latencyMs,
  retry_delay_seconds: row.retryDelaySeconds,
  created_at: new Date(row.createdAt).toISOString(),
});
