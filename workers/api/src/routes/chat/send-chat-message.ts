import { operation } from "../../lib/operation.ts";
import { chatReader, displayName } from "../../services/chat/chat-caller.ts";
import { requireConversation } from "../../services/chat/conversations.ts";
import { storeMessage, toMessageView } from "../../services/chat/messages.ts";
import { publishMessage } from "../../services/chat/publish.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

// Stored first, then pushed: a resend with the same client_id answers the stored message and pushes
// nothing again (the first send already did).
export const sendChatMessage = operation("sendChatMessage", async (c, { params, body }) => {
  const { companyId, conversationId } = params;
  const reader = await chatReader(c, companyId, "write");
  const db = await tenantDatabase(c.env, companyId);
  const conversation = await requireConversation(db, conversationId, reader);
  const sender = { id: reader.userId, name: await displayName(c, reader.userId) };
  const { message, duplicate } = await storeMessage(
    db,
    conversation.id,
    sender,
    body.body,
    body.client_id ?? null,
  );
  if (!duplicate) await publishMessage(c, companyId, db, conversation, message);
  return { success: true, message: toMessageView(message), duplicate };
});
