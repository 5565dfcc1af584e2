// Delivery and read receipts: a row per message and reader, written when the reader's socket acks a
// message (`chat.delivered`) and when they read up to a message (`chat.read` or the REST route).
import { chatMessages, chatReceipts } from "@nexus/db/tenant";
import { and, eq, isNull, lte, ne, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { QueryBuilder } from "drizzle-orm/sqlite-core";

/**
 * Records that the user's device got the message; answers its sender (to tell), or null when the
 * message is not in the conversation or is the user's own.
 */
export async function markDelivered(
  db: D1Database,
  conversationId: string,
  messageId: string,
  userId: string,
  now = Date.now(),
): Promise<{ senderId: string } | null> {
  const orm = drizzle(db);
  const [message] = await orm
    .select({ senderId: chatMessages.senderId })
    .from(chatMessages)
    .where(and(eq(chatMessages.id, messageId), eq(chatMessages.conversationId, conversationId)))
    .limit(1);
  if (!message || message.senderId === userId) return null;
  await orm
    .insert(chatReceipts)
    .values({ messageId, userId, deliveredAt: now })
    .onConflictDoUpdate({
      target: [chatReceipts.messageId, chatReceipts.userId],
      set: { deliveredAt: sql`coalesce(${chatReceipts.deliveredAt}, ${now})` },
    });
  return message;
}

/**
 * Marks every message of others up to `upTo` (inclusive) read by the user, and delivered if it was
 * not yet. Answers how many became read and their senders (to tell), in one insert…select: a long
 * unread backlog is one statement, not one per message.
 */
export async function markRead(
  db: D1Database,
  conversationId: string,
  upTo: string,
  userId: string,
  now = Date.now(),
): Promise<{ marked: number; senders: string[] }> {
  const orm = drizzle(db);
  const unread = and(
    eq(chatMessages.conversationId, conversationId),
    lte(chatMessages.id, upTo),
    ne(chatMessages.senderId, userId),
    sql`NOT EXISTS (SELECT 1 FROM ${chatReceipts} WHERE ${chatReceipts.messageId} = ${chatMessages.id} AND ${chatReceipts.userId} = ${userId} AND ${chatReceipts.readAt} IS NOT NULL)`,
  );
  const [senders, written] = await orm.batch([
    orm.selectDistinct({ senderId: chatMessages.senderId }).from(chatMessages).where(unread),
    orm
      .insert(chatReceipts)
      .select(
        new QueryBuilder()
          .select({
            messageId: chatMessages.id,
            userId: sql`${userId}`.as("user_id"),
            deliveredAt: sql`${now}`.as("delivered_at"),
            readAt: sql`${now}`.as("read_at"),
          })
          .from(chatMessages)
          .where(unread),
      )
      .onConflictDoUpdate({
        target: [chatReceipts.messageId, chatReceipts.userId],
        set: { readAt: now, deliveredAt: sql`coalesce(${chatReceipts.deliveredAt}, ${now})` },
        where: isNull(chatReceipts.readAt),
      }),
  ]);
  return { marked: written.meta.changes, senders: senders.map((row) => row.senderId) };
}
