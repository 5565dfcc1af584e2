import { operation } from "../../lib/operation.ts";
import { chatReader } from "../../services/chat/chat-caller.ts";
import { conversationViews, requireConversation } from "../../services/chat/conversations.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const getChatConversation = operation("getChatConversation", async (c, { params }) => {
  const { companyId, conversationId } = params;
  const reader = await chatReader(c, companyId);
  const db = await tenantDatabase(c.env, companyId);
  const row = await requireConversation(db, conversationId, reader);
  const [conversation] = await conversationViews(db, [row], reader.userId);
  if (!conversation) throw new Error("conversationViews returned no view");
  return { success: true, conversation };
});
