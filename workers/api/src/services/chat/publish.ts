// A stored chat message or read mark goes out live; participants without an open socket are
// notified through the `chat.message` workflow (their preferences decide push or email).
import type { ServerMessage } from "@nexus/contracts";
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { notifyUsers, sendToAudience } from "../hub.ts";
import { allows, memberAccess } from "../member-access.ts";
import { triggerWorkflow } from "../notifications/trigger.ts";
import { type ConversationRow, conversationAudience } from "./conversations.ts";
import { type MessageRow, toMessageView } from "./messages.ts";

/** Chat previews in notifications stay short: the full text is in the app. */
const PREVIEW_LENGTH = 140;

/**
 * Pushes the message to the conversation's connected readers and notifies the others. Answers the
 * users it notified offline (the notification itself runs after the response).
 */
export async function publishMessage(
  c: Context<AppEnv>,
  companyId: string,
  db: D1Database,
  conversation: ConversationRow,
  message: MessageRow,
): Promise<string[]> {
  const { audience, participants, assigned } = await conversationAudience(db, conversation);
  const view = toMessageView(message);
  const frame: ServerMessage = {
    type: "chat.message",
    id: message.id,
    from: {
      type: "dashboard",
      id: message.senderId,
      ...(message.senderName ? { name: message.senderName } : {}),
    },
    text: message.body,
    at: view.created_at,
    conversation_id: conversation.id,
    message: view,
  };
  const online = new Set(await sendToAudience(c.env, companyId, audience, frame));
  const candidates = [...new Set([...participants, ...assigned])].filter(
    (userId) => userId !== message.senderId && !online.has(userId),
  );
  const offline = await mayStillRead(c, companyId, conversation, candidates, new Set(assigned));
  if (offline.length > 0) {
    c.executionCtx.waitUntil(notifyOffline(c.env, companyId, conversation, message, offline));
  }
  return offline;
}

/**
 * Of a project conversation's participants, those who may still read the project: assigned users,
 * and members allowed every project (someone unassigned since they joined is not told).
 */
async function mayStillRead(
  c: Context<AppEnv>,
  companyId: string,
  conversation: ConversationRow,
  userIds: string[],
  assigned: ReadonlySet<string>,
): Promise<string[]> {
  if (conversation.kind === "direct") return userIds;
  const allowed = await Promise.all(
    userIds.map(async (userId) => {
      if (assigned.has(userId)) return true;
      return memberReadsAllProjects(c, companyId, userId);
    }),
  );
  return userIds.filter((_, index) => allowed[index]);
}

async function memberReadsAllProjects(
  c: Context<AppEnv>,
  companyId: string,
  userId: string,
): Promise<boolean> {
  const access = await memberAccess(c, companyId, userId);
  return (
    access !== null &&
    allows(access, { resource: "projects", action: "read" }) &&
    allows(access, { resource: "chat", action: "read" })
  );
}

async function notifyOffline(
  env: Env,
  companyId: string,
  conversation: ConversationRow,
  message: MessageRow,
  userIds: string[],
): Promise<void> {
  try {
    await triggerWorkflow(
      env,
      companyId,
      {
        workflow: "chat.message",
        to: userIds.map((userId) => ({ user_id: userId })),
        payload: {
          conversation_id: conversation.id,
          conversation_kind: conversation.kind,
          project_id: conversation.projectId,
          message_id: message.id,
          sender_id: message.senderId,
          sender_name: message.senderName ?? "Someone",
          preview:
            message.body.length > PREVIEW_LENGTH
              ? `${message.body.slice(0, PREVIEW_LENGTH - 1)}…`
              : message.body,
        },
        // One notification per message and recipient, however often this runs.
        idempotencyKey: `chat:${message.id}`,
      },
      message.senderId,
    );
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "warn",
        event: "chat_offline_notify_failed",
        companyId,
        conversationId: conversation.id,
        messageId: message.id,
        error: String(error),
      }),
    );
  }
}

/** The reader read up to `messageId`: the senders of what they read, and their own other tabs, hear of it. */
export async function publishRead(
  env: Env,
  companyId: string,
  read: { conversationId: string; messageId: string; userId: string; senders: string[] },
): Promise<void> {
  await notifyUsers(env, companyId, [...read.senders, read.userId], {
    type: "chat.receipt",
    conversation_id: read.conversationId,
    message_id: read.messageId,
    user_id: read.userId,
    status: "read",
    at: new Date().toISOString(),
  });
}
