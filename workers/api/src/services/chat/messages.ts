// Chat messages in the tenant database: sending (idempotent by the sender's client id) and history
// pages by id (UUIDv7, so id order is time order and the id is the cursor).
import type { ChatConversationMessage } from "@nexus/contracts";
import { chatConversations, chatMessages, chatParticipants, chatReceipts } from "@nexus/db/tenant";
import { and, asc, desc, eq, gt, inArray, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { newId } from "../../lib/ids.ts";

export type MessageRow = typeof chatMessages.$inferSelect;
type ReceiptRow = typeof chatReceipts.$inferSelect;

export function toMessageView(row: MessageRow): ChatConversationMessage {
  return {
    id: row.id,
    conversation_id: row.conversationId,
    sender_id: row.senderId,
    sender_name: row.senderName,
    body: row.body,
    client_id: row.clientId,
    created_at: new Date(row.createdAt).toISOString(),
  };
}

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toReceiptView(row: ReceiptRow) {
  return {
    message_id: row.messageId,
    user_id: row.userId,
    delivered_at: iso(row.deliveredAt),
    read_at: iso(row.readAt),
  };
}

/**
 * Stores a message; the sender joins the conversation. With a client id already used by this sender
 * in this conversation, answers that message (duplicate) and stores nothing: the unique index on
 * (conversation, sender, client id) decides, so a resend racing the original is one message.
 */
export async function storeMessage(
  db: D1Database,
  conversationId: string,
  sender: { id: string; name: string | null },
  body: string,
  clientId: string | null,
): Promise<{ message: MessageRow; duplicate: boolean }> {
  const orm = drizzle(db);
  const now = Date.now();
  const [inserted] = await orm.batch([
    orm
      .insert(chatMessages)
      .values({
        id: newId(now),
        conversationId,
        senderId: sender.id,
        senderName: sender.name,
        body,
        clientId,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning(),
    orm.update(chatConversations).set({ lastMessageAt: now }).where(eq(chatConversations.id, conversationId)),
    orm.insert(chatParticipants).values({ conversationId, userId: sender.id }).onConflictDoNothing(),
  ]);
  const [message] = inserted;
  if (message) return { message, duplicate: false };
  const [existing] = clientId
    ? await orm
        .select()
        .from(chatMessages)
        .where(
          and(
            eq(chatMessages.conversationId, conversationId),
            eq(chatMessages.senderId, sender.id),
            eq(chatMessages.clientId, clientId),
          ),
        )
        .limit(1)
    : [];
  if (!existing) throw new Error("the chat message was neither inserted nor found");
  return { message: existing, duplicate: true };
}

/**
 * A page of history: older than `cursor`, newest first; or with `after`, newer than it, oldest
 * first. Answers the page, the next cursor and the page's receipts.
 */
export async function historyPage(
  db: D1Database,
  conversationId: string,
  page: { cursor?: string | undefined; after?: string | undefined; limit: number },
) {
  const orm = drizzle(db);
  const forward = page.after !== undefined;
  const rows = await orm
    .select()
    .from(chatMessages)
    .where(
      and(
        eq(chatMessages.conversationId, conversationId),
        page.after !== undefined ? gt(chatMessages.id, page.after) : undefined,
        page.cursor !== undefined ? lt(chatMessages.id, page.cursor) : undefined,
      ),
    )
    .orderBy(forward ? asc(chatMessages.id) : desc(chatMessages.id))
    .limit(page.limit + 1);
  const messages = rows.slice(0, page.limit);
  const last = messages.at(-1);
  const nextCursor = rows.length > page.limit && last ? last.id : null;
  const receipts =
    messages.length === 0
      ? []
      : await orm
          .select()
          .from(chatReceipts)
          .where(
            inArray(
              chatReceipts.messageId,
              messages.map((message) => message.id),
            ),
          );
  return { messages, nextCursor, receipts };
}
