// The in-app inbox: a user's `in_app` notification messages once delivered (the message row IS the
// inbox item), with read and archived state. Every query names the recipient, so another user's
// message is not found rather than forbidden.
import type { InboxItem, InboxPage } from "@nexus/contracts";
import { notificationMessages } from "@nexus/db/tenant";
import { and, count, eq, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../../lib/errors.ts";
import { listPage } from "../list-page.ts";
import { tenantDatabase } from "../tenant-db.ts";

type MessageRow = typeof notificationMessages.$inferSelect;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The wire shape of an inbox item: the API's and the live `notification.new` message's. */
export function inboxItem(row: MessageRow): InboxItem {
  return {
    id: row.id,
    workflow: row.workflowKey,
    category: row.category,
    subject: row.subject,
    body: row.body,
    data: row.payload,
    created_at: new Date(row.createdAt).toISOString(),
    read_at: iso(row.readAt),
    archived_at: iso(row.archivedAt),
  };
}

/** A user's inbox rows: in-app, theirs, delivered (held, digested and skipped ones are not shown). */
const ownInbox = (recipientKey: string): SQL[] => [
  eq(notificationMessages.recipientKey, recipientKey),
  eq(notificationMessages.channel, "in_app"),
  eq(notificationMessages.status, "delivered"),
];
const unread = [isNull(notificationMessages.readAt), isNull(notificationMessages.archivedAt)];

export async function unreadCount(db: D1Database, recipientKey: string): Promise<number> {
  const [row] = await drizzle(db)
    .select({ n: count() })
    .from(notificationMessages)
    .where(and(...ownInbox(recipientKey), ...unread));
  return row?.n ?? 0;
}

export type InboxFilter = "inbox" | "unread" | "archived";

export async function listInbox(
  db: D1Database,
  recipientKey: string,
  query: { filter: InboxFilter; limit: number; cursor?: string | undefined },
): Promise<InboxPage> {
  const filters: Record<InboxFilter, SQL[]> = {
    inbox: [isNull(notificationMessages.archivedAt)],
    unread,
    archived: [isNotNull(notificationMessages.archivedAt)],
  };
  const orm = drizzle(db);
  const [page, unreadTotal] = await Promise.all([
    listPage(
      query,
      notificationMessages.id,
      [...ownInbox(recipientKey), ...filters[query.filter]],
      ({ where, orderBy, limit }) =>
        orm.select().from(notificationMessages).where(where).orderBy(orderBy).limit(limit),
      (row) => row.id,
    ),
    unreadCount(db, recipientKey),
  ]);
  return {
    success: true,
    items: page.items.map(inboxItem),
    unread_count: unreadTotal,
    next_cursor: page.nextCursor,
  };
}

export type InboxChange = "read" | "unread" | "archive";

/** Sets one of the user's items read, unread or archived (archiving reads it too); 404 for anyone else's. */
export async function changeInboxItem(
  db: D1Database,
  recipientKey: string,
  messageId: string,
  change: InboxChange,
  now = Date.now(),
): Promise<{ item: InboxItem; unreadCount: number }> {
  const set =
    change === "read"
      ? { readAt: sql`coalesce(${notificationMessages.readAt}, ${now})` }
      : change === "unread"
        ? { readAt: null }
        : {
            readAt: sql`coalesce(${notificationMessages.readAt}, ${now})`,
            archivedAt: sql`coalesce(${notificationMessages.archivedAt}, ${now})`,
          };
  const [row] = await drizzle(db)
    .update(notificationMessages)
    .set({ ...set, updatedAt: now })
    .where(and(eq(notificationMessages.id, messageId), ...ownInbox(recipientKey)))
    .returning();
  if (!row) {
    throw new ApiError(
      "NOTIFICATION_MESSAGE_NOT_FOUND",
      `You have no notification with the id ${messageId}.`,
    );
  }
  return { item: inboxItem(row), unreadCount: await unreadCount(db, recipientKey) };
}

/** Marks every unread, unarchived item of the user read; answers how many changed. */
export async function readAllInbox(db: D1Database, recipientKey: string, now = Date.now()): Promise<number> {
  const rows = await drizzle(db)
    .update(notificationMessages)
    .set({ readAt: now, updatedAt: now })
    .where(and(...ownInbox(recipientKey), ...unread))
    .returning({ id: notificationMessages.id });
  return rows.length;
}

/** The read / unread / archive operations' answer: the caller's item changed, with the new badge count. */
export async function changeOwnInboxItem(
  env: Env,
  input: { params: { companyId: string; messageId: string }; caller: { userId: string } },
  change: InboxChange,
) {
  const db = await tenantDatabase(env, input.params.companyId);
  const recipientKey = `user:${input.caller.userId}`;
  const { item, unreadCount } = await changeInboxItem(db, recipientKey, input.params.messageId, change);
  return { success: true as const, item, unread_count: unreadCount };
}
