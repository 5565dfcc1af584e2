import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { chatReader } from "../../services/chat/chat-caller.ts";
import { conversationViews, directConversation } from "../../services/chat/conversations.ts";
import { requireMembers } from "../../services/crm/members.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const createDirectConversation = operation("createDirectConversation", async (c, { params, body }) => {
  const { companyId } = params;
  const reader = await chatReader(c, companyId, "write");
  if (body.user_id === reader.userId) {
    throw new ApiError("VALIDATION_FAILED", "A direct conversation is with another member, not yourself.");
  }
  await requireMembers(c.get("db"), companyId, [body.user_id]);
  const db = await tenantDatabase(c.env, companyId);
  const row = await directConversation(db, reader.userId, body.user_id);
  const [conversation] = await conversationViews(db, [row], reader.userId);
  if (!conversation) throw new Error("conversationViews returned no view");
  return { success: true, conversation };
});
