import { operation } from "../../lib/operation.ts";
import { chatReader } from "../../services/chat/chat-caller.ts";
import { listConversations } from "../../services/chat/conversations.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const listChatConversations = operation("listChatConversations", async (c, { params }) => {
  const reader = await chatReader(c, params.companyId);
  const db = await tenantDatabase(c.env, params.companyId);
  return { success: true, conversations: await listConversations(db, reader) };
});
