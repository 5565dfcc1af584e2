import { z } from "zod";
import {
  adminErrors,
  bodyErrors,
  CompanyIdParams,
  companyErrors,
  crmErrors,
  define,
} from "../shared/route-contract.ts";
import {
  ChatConversationListSchema,
  ChatConversationResponseSchema,
  ChatHistoryQuerySchema,
  ChatHistorySchema,
  ChatMessageResponseSchema,
  CreateDirectConversationRequestSchema,
  MarkChatReadRequestSchema,
  MarkChatReadResponseSchema,
  SendChatMessageRequestSchema,
} from "./schemas.ts";

const ConversationParams = CompanyIdParams.extend({ conversationId: z.string().min(1).max(64) });
const ProjectParams = CompanyIdParams.extend({ projectId: z.string().min(1).max(64) });
const chatErrors = [...adminErrors, ...companyErrors, ...crmErrors] as const;

// Chat is a signed-in member's own (their conversations, unread counts, receipts): `companyUser`
// routes, so operators and API keys get 403. The handler checks the chat permission named here.
export const chatRoutes = {
  listChatConversations: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/chat/conversations",
    summary:
      "The caller's conversations, most recent first, with unread counts: direct ones, and those of projects they take part in or are assigned to",
    tag: "chat",
    auth: "companyUser",
    permission: { resource: "chat", action: "read" },
    params: CompanyIdParams,
    status: 200,
    response: ChatConversationListSchema,
    errors: chatErrors,
  }),
  createDirectConversation: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/chat/conversations",
    summary:
      "The direct conversation with another member (one per pair: created on first use, else returned)",
    tag: "chat",
    auth: "companyUser",
    permission: { resource: "chat", action: "write" },
    params: CompanyIdParams,
    body: CreateDirectConversationRequestSchema,
    status: 200,
    response: ChatConversationResponseSchema,
    errors: [...chatErrors, ...bodyErrors],
  }),
  getProjectConversation: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/projects/{projectId}/chat",
    summary:
      "The project's conversation (created on first use) for a user who may read the project (installers: assigned ones)",
    tag: "chat",
    auth: "companyUser",
    permission: { resource: "chat", action: "read" },
    params: ProjectParams,
    status: 200,
    response: ChatConversationResponseSchema,
    errors: [...chatErrors, "PROJECT_NOT_FOUND"],
  }),
  getChatConversation: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/chat/conversations/{conversationId}",
    summary: "One conversation of the caller, with its unread count",
    tag: "chat",
    auth: "companyUser",
    permission: { resource: "chat", action: "read" },
    params: ConversationParams,
    status: 200,
    response: ChatConversationResponseSchema,
    errors: [...chatErrors, "CHAT_CONVERSATION_NOT_FOUND"],
  }),
  listChatMessages: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/chat/conversations/{conversationId}/messages",
    summary:
      "History, newest first, with a cursor (or, with `after`, what came since a message), and receipts",
    tag: "chat",
    auth: "companyUser",
    permission: { resource: "chat", action: "read" },
    params: ConversationParams,
    query: ChatHistoryQuerySchema,
    status: 200,
    response: ChatHistorySchema,
    errors: [...chatErrors, "CHAT_CONVERSATION_NOT_FOUND", "VALIDATION_FAILED"],
  }),
  sendChatMessage: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/chat/conversations/{conversationId}/messages",
    summary:
      "Send a message: stored, pushed live (chat.message) to the conversation's connected readers, and offline participants notified (workflow chat.message). Idempotent by client_id",
    tag: "chat",
    auth: "companyUser",
    permission: { resource: "chat", action: "write" },
    params: ConversationParams,
    body: SendChatMessageRequestSchema,
    status: 201,
    response: ChatMessageResponseSchema,
    errors: [...chatErrors, ...bodyErrors, "CHAT_CONVERSATION_NOT_FOUND"],
  }),
  markChatRead: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/chat/conversations/{conversationId}/read",
    summary: "Mark the conversation read up to a message (read receipts go out live as chat.receipt)",
    tag: "chat",
    auth: "companyUser",
    permission: { resource: "chat", action: "read" },
    params: ConversationParams,
    body: MarkChatReadRequestSchema,
    status: 200,
    response: MarkChatReadResponseSchema,
    errors: [...chatErrors, ...bodyErrors, "CHAT_CONVERSATION_NOT_FOUND"],
  }),
} as const;
