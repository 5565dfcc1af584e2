// Conversation frames from members' sockets (typing, delivered, read): each is checked against the
// tenant database (may this user read this conversation now?) before anything is relayed or stored.
import type { ServerMessage } from "@nexus/contracts";
import { conversationAudience, readableConversation } from "../services/chat/conversations.ts";
import { markDelivered, markRead } from "../services/chat/receipts.ts";
import { tenantDatabase } from "../services/tenant-db.ts";
import type { ChatFrame, HubSockets } from "./hub-sockets.ts";

/**
 * Typing frames a user sends about one conversation are relayed at most this often: each costs the
 * hub a tenant database read, and "is typing" needs no more (apps repeat it every few seconds).
 */
export const TYPING_RELAY_INTERVAL_MS = 2000;

export class HubChat {
  readonly #env: Env;
  readonly #sockets: HubSockets;
  /** `userId conversationId` → when their typing was last relayed (in memory: losing it costs one frame). */
  readonly #typing = new Map<string, number>();

  constructor(env: Env, sockets: HubSockets) {
    this.#env = env;
    this.#sockets = sockets;
  }

  async handle(ws: WebSocket, { companyId, userId, allProjects, frame }: ChatFrame): Promise<void> {
    if (frame.type === "chat.typing" && this.#typingTooSoon(`${userId} ${frame.conversation_id}`)) return;
    try {
      const db = await tenantDatabase(this.#env, companyId);
      const conversation = await readableConversation(db, frame.conversation_id, { userId, allProjects });
      if (!conversation) {
        this.#sockets.reply(ws, {
          type: "error",
          code: "CHAT_CONVERSATION_NOT_FOUND",
          message: `There is no conversation ${frame.conversation_id} you can read.`,
        });
        return;
      }
      const at = new Date().toISOString();
      if (frame.type === "chat.typing") {
        const { audience } = await conversationAudience(db, conversation);
        this.#sockets.sendToAudience(
          { ...audience, exceptUser: userId },
          { type: "chat.typing", conversation_id: conversation.id, user_id: userId },
        );
        return;
      }
      const receipt = (status: "delivered" | "read"): ServerMessage => ({
        type: "chat.receipt",
        conversation_id: conversation.id,
        message_id: frame.message_id,
        user_id: userId,
        status,
        at,
      });
      if (frame.type === "chat.delivered") {
        const delivered = await markDelivered(db, conversation.id, frame.message_id, userId);
        if (delivered) this.#sockets.sendToUsers([delivered.senderId, userId], receipt("delivered"));
        return;
      }
      const read = await markRead(db, conversation.id, frame.message_id, userId);
      if (read.marked > 0) this.#sockets.sendToUsers([...read.senders, userId], receipt("read"));
    } catch (error) {
      console.error(
        JSON.stringify({ level: "error", event: "hub_chat_frame_failed", companyId, error: String(error) }),
      );
      this.#sockets.reply(ws, {
        type: "error",
        code: "INTERNAL_ERROR",
        message: "The chat frame could not be handled; try again.",
      });
    }
  }

  #typingTooSoon(key: string): boolean {
    const now = Date.now();
    const last = this.#typing.get(key);
    if (last !== undefined && now - last < TYPING_RELAY_INTERVAL_MS) return true;
    if (this.#typing.size > 10_000) this.#typing.clear();
    this.#typing.set(key, now);
    return false;
  }
}
