import { operation } from "../../lib/operation.ts";
import { chatReader } from "../../services/chat/chat-caller.ts";
import { requireConversation, unreadCount } from "../../services/chat/conversations.ts";
import { publishRead } from "../../services/chat/publish.ts";
import { markRead } from "../../services/chat/receipts.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const markChatRead = operation("markChatRead", async (c, { params, body }) => {
  const { companyId, conversationId } = params;
  const reader = await chatReader(c, companyId);
  const db = await tenantDatabase(c.env, companyId);
  await requireConversation(db, conversationId, reader);
  const { marked, senders } = await markRead(db, conversationId, body.message_id, reader.userId);
  if (marked > 0) {
    await publishRead(c.env, companyId, {
      conversationId,
      messageId: body.message_id,
      userId: reader.userId,
      senders,
    });
  }
  return { success: true, marked, unread_count: await unreadCount(db, conversationId, reader.userId) };
});
