// Chat: project and direct conversations, their history and receipts (services/chat), pushed live on
// the company's socket (durable-objects/hub-chat.ts takes the socket's typing and receipt frames).
import type { Operation } from "../../lib/operation.ts";
import { createDirectConversation } from "./create-direct-conversation.ts";
import { getChatConversation } from "./get-chat-conversation.ts";
import { getProjectConversation } from "./get-project-conversation.ts";
import { listChatConversations } from "./list-chat-conversations.ts";
import { listChatMessages } from "./list-chat-messages.ts";
import { markChatRead } from "./mark-chat-read.ts";
import { sendChatMessage } from "./send-chat-message.ts";

export const chatOperations: Operation[] = [
  listChatConversations,
  createDirectConversation,
  getProjectConversation,
  getChatConversation,
  listChatMessages,
  sendChatMessage,
  markChatRead,
];
