// Messages on the live WebSocket (`GET /api/live`), both directions. Every frame is a JSON object
// with a `type`.
import { z } from "zod";
import { ChatConversationMessageSchema } from "../chat/schemas.ts";
import { InboxItemSchema } from "../notification-inbox/schemas.ts";
import { IsoDateSchema, SettingsSchema } from "../shared/common.ts";

export const LIVE_MAX_MESSAGE_BYTES = 4096;

/**
 * Dashboard sockets one company may hold at once (installations are bounded by their seats). The
 * one over the limit is accepted and closed at once with LIVE_CLOSE_DASHBOARD_LIMIT and this reason:
 * a browser cannot read the status or body of a refused upgrade, but it can read a close frame.
 */
export const LIVE_DASHBOARD_SOCKETS_PER_COMPANY = 50;
export const LIVE_CLOSE_DASHBOARD_LIMIT = 4429;
export const LIVE_DASHBOARD_LIMIT_MESSAGE = `Too many dashboard connections for this company (limit ${LIVE_DASHBOARD_SOCKETS_PER_COMPANY}); close other tabs.`;

export const PresenceStatusSchema = z.enum(["online", "offline", "dead"]);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;

const SenderSchema = z.object({
  type: z.enum(["installation", "dashboard", "operator"]),
  id: z.string(),
  name: z.string().optional(),
});

export const ServerMessageSchema = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("welcome"),
      role: z.enum(["installation", "dashboard"]),
      company_id: z.string(),
      installation_id: z.string().optional(),
      user_id: z.string().optional().meta({ description: "A signed-in member's socket: the user" }),
      scope: z.enum(["company", "assigned"]).optional().meta({
        description:
          "A member's socket: `company` (dashboards) or `assigned` (a user who may read only the projects assigned to them, e.g. installers: project status and chat of those projects only, no presence)",
      }),
    }),
    z.object({
      type: z.literal("settings.changed"),
      settings_version: z.number().int(),
      settings: SettingsSchema,
    }),
    z.object({ type: z.literal("update.available"), version: z.string(), channel: z.string() }),
    z.object({ type: z.literal("force_update"), minimum_version: z.string() }),
    z.object({
      type: z.literal("installation.presence"),
      installation_id: z.string(),
      hostname: z.string().nullable(),
      status: PresenceStatusSchema,
      at: IsoDateSchema,
      last_heartbeat_at: IsoDateSchema.nullable().optional().meta({
        description:
          "With `online`: the hub's latest heartbeat of the installation (null: none yet). Online means a heartbeat within the window (installations/online.ts), not an open socket",
      }),
    }),
    z.object({
      type: z.literal("chat.message"),
      id: z.string(),
      from: SenderSchema,
      text: z.string(),
      at: IsoDateSchema,
      conversation_id: z.string().optional().meta({
        description:
          "Set for a conversation's message (project or direct chat, to members' sockets); absent for the company-wide `chat.send` relay",
      }),
      message: ChatConversationMessageSchema.optional().meta({
        description: "With conversation_id: the stored message",
      }),
    }),
    z.object({
      type: z.literal("chat.receipt"),
      conversation_id: z.string(),
      message_id: z.string().meta({ description: "With `read`: every message up to this one is read" }),
      user_id: z.string().meta({ description: "The reader" }),
      status: z.enum(["delivered", "read"]),
      at: IsoDateSchema,
    }),
    z.object({
      type: z.literal("chat.typing"),
      conversation_id: z.string(),
      user_id: z.string(),
      name: z.string().nullable().optional(),
    }),
    z.object({
      type: z.literal("project.status"),
      project_id: z.string(),
      stage: z.string(),
      status: z.string(),
      at: IsoDateSchema,
    }),
    z.object({
      type: z.literal("notification.new"),
      // The in-app message as the inbox API returns it.
      notification: InboxItemSchema,
    }),
    z.object({ type: z.literal("admin.broadcast"), text: z.string(), at: IsoDateSchema }),
    z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
  ])
  .meta({ id: "LiveServerMessage" });
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

export const ClientMessageSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("chat.send"), text: z.string().trim().min(1).max(2000) }),
    // Members' sockets only: typing is relayed (never stored); delivered/read become receipts.
    z.object({ type: z.literal("chat.typing"), conversation_id: z.string().min(1).max(64) }),
    z.object({
      type: z.literal("chat.delivered"),
      conversation_id: z.string().min(1).max(64),
      message_id: z.string().min(1).max(64),
    }),
    z.object({
      type: z.literal("chat.read"),
      conversation_id: z.string().min(1).max(64),
      message_id: z.string().min(1).max(64),
    }),
  ])
  .meta({ id: "LiveClientMessage" });
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** Answered by the runtime without waking the object (WebSocket auto-response). */
export const LIVE_PING = '{"type":"ping"}';
export const LIVE_PONG = '{"type":"pong"}';

export const BroadcastRequestSchema = z
  .object({ text: z.string().trim().min(1).max(2000) })
  .meta({ id: "BroadcastRequest" });

export const HubStatsSchema = z
  .object({
    success: z.literal(true),
    heartbeats: z
      .number()
      .int()
      .meta({ description: "Heartbeats answered since the object started counting" }),
    d1_writes: z
      .number()
      .int()
      .meta({ description: "D1 write statements the object issued (flushes, deaths, revivals)" }),
    d1_reads: z
      .number()
      .int()
      .meta({ description: "D1 reads the object issued (company state, installation registry)" }),
    flushes: z.number().int(),
    pending_flush: z.number().int(),
    installations: z.object({
      active: z.number().int(),
      dead: z.number().int(),
      deactivated: z.number().int(),
    }),
    sockets: z.object({ installations: z.number().int(), dashboards: z.number().int() }),
  })
  .meta({ id: "HubStats" });
export type HubStats = z.infer<typeof HubStatsSchema>;
