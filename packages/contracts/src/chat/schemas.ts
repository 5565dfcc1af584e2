// Chat: one conversation per project (created on first use) and one per pair of users (direct),
// history in the company's tenant database, delivery and read receipts per message and reader.
// Live frames for chat are in live/schemas.ts (chat.message, chat.receipt, chat.typing).
import { z } from "zod";
import { IsoDateSchema, PaginationQuerySchema } from "../shared/common.ts";

export const CHAT_MESSAGE_MAX_LENGTH = 4000;

export const ChatConversationKindSchema = z.enum(["project", "direct"]);
export type ChatConversationKind = z.infer<typeof ChatConversationKindSchema>;

export const ChatConversationMessageSchema = z
  .object({
    id: z.string().meta({ description: "UUIDv7: time-ordered, the history's cursor" }),
    conversation_id: z.string(),
    sender_id: z.string(),
    sender_name: z.string().nullable(),
    body: z.string(),
    client_id: z
      .string()
      .nullable()
      .meta({ description: "The sender's own id for the message (idempotency)" }),
    created_at: IsoDateSchema,
  })
  .meta({ id: "ChatConversationMessage" });
export type ChatConversationMessage = z.infer<typeof ChatConversationMessageSchema>;

export const ChatConversationSchema = z
  .object({
    id: z.string(),
    kind: ChatConversationKindSchema,
    project_id: z.string().nullable(),
    participant_ids: z.array(z.string()).meta({
      description:
        "Direct: the two users. Project: the users who have taken part (sent, read or opened it); everyone who may read the project may join",
    }),
    created_at: IsoDateSchema,
    last_message_at: IsoDateSchema.nullable(),
    unread_count: z.number().int().meta({ description: "Messages of others the caller has not read" }),
    last_message: ChatConversationMessageSchema.nullable(),
  })
  .meta({ id: "ChatConversation" });
export type ChatConversation = z.infer<typeof ChatConversationSchema>;

export const ChatConversationResponseSchema = z
  .object({ success: z.literal(true), conversation: ChatConversationSchema })
  .meta({ id: "ChatConversationResponse" });

export const ChatConversationListSchema = z
  .object({ success: z.literal(true), conversations: z.array(ChatConversationSchema) })
  .meta({ id: "ChatConversationList" });

export const CreateDirectConversationRequestSchema = z
  .object({ user_id: z.string().min(1).max(64).meta({ description: "The other member of the company" }) })
  .meta({ id: "CreateDirectConversationRequest" });

export const ChatHistoryQuerySchema = PaginationQuerySchema.extend({
  cursor: z.string().max(64).optional().meta({
    description: "`next_cursor` of the previous page: messages older than it (pages go back in time)",
  }),
  after: z.string().max(64).optional().meta({
    description: "Only messages newer than this message id, oldest first (catching up after a reconnect)",
  }),
});

export const ChatHistorySchema = z
  .object({
    success: z.literal(true),
    messages: z.array(ChatConversationMessageSchema).meta({
      description: "Newest first (with `after`: oldest first)",
    }),
    next_cursor: z.string().nullable(),
    receipts: z
      .array(
        z.object({
          message_id: z.string(),
          user_id: z.string(),
          delivered_at: IsoDateSchema.nullable(),
          read_at: IsoDateSchema.nullable(),
        }),
      )
      .meta({ description: "Receipts of the page's messages, by reader" }),
  })
  .meta({ id: "ChatHistory" });

export const SendChatMessageRequestSchema = z
  .object({
    body: z.string().trim().min(1).max(CHAT_MESSAGE_MAX_LENGTH),
    client_id: z.string().min(1).max(64).optional().meta({
      description:
        "The sender's id for the message: sending it again (after a dropped connection) returns the first message, not a second one",
    }),
  })
  .meta({ id: "SendChatMessageRequest" });

export const ChatMessageResponseSchema = z
  .object({
    success: z.literal(true),
    message: ChatConversationMessageSchema,
    duplicate: z.boolean().meta({ description: "True when client_id named a message already sent" }),
  })
  .meta({ id: "ChatMessageResponse" });

export const MarkChatReadRequestSchema = z
  .object({
    message_id: z.string().min(1).max(64).meta({ description: "Read up to and including this message" }),
  })
  .meta({ id: "MarkChatReadRequest" });

export const MarkChatReadResponseSchema = z
  .object({ success: z.literal(true), marked: z.number().int(), unread_count: z.number().int() })
  .meta({ id: "MarkChatReadResponse" });
