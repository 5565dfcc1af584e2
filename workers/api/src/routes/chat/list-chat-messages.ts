import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { chatReader } from "../../services/chat/chat-caller.ts";
import { requireConversation } from "../../services/chat/conversations.ts";
import { historyPage, toMessageView, toReceiptView } from "../../services/chat/messages.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const listChatMessages = operation("listChatMessages", async (c, { params, query }) => {
  const { companyId, conversationId } = params;
  if (query.cursor !== undefined && query.after !== undefined) {
    throw new ApiError("VALIDATION_FAILED", "Page back with `cursor` or catch up with `after`, not both.");
  }
  const reader = await chatReader(c, companyId);
  const db = await tenantDatabase(c.env, companyId);
  await requireConversation(db, conversationId, reader);
  const page = await historyPage(db, conversationId, query);
  return {
    success: true,
    messages: page.messages.map(toMessageView),
    next_cursor: page.nextCursor,
    receipts: page.receipts.map(toReceiptView),
  };
});
