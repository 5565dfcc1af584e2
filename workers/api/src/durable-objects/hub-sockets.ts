// The live WebSockets of a CompanyHub, on the Hibernation API: the object may sleep between
// messages, so who is on each socket lives in its attachment and its tags, not in memory.
import {
  type ClientMessage,
  ClientMessageSchema,
  LIVE_CLOSE_DASHBOARD_LIMIT,
  LIVE_DASHBOARD_LIMIT_MESSAGE,
  LIVE_DASHBOARD_SOCKETS_PER_COMPANY,
  LIVE_MAX_MESSAGE_BYTES,
  type PresenceStatus,
  type ServerMessage,
} from "@nexus/contracts";
import { newId } from "../lib/ids.ts";

export interface SocketIdentity {
  role: "installation" | "dashboard";
  companyId: string;
  /** Who is connected: the installation id, or the dashboard user / operator id. */
  actorId: string;
  installationId?: string;
  hostname: string | null;
  connectedAt: number;
  /** A signed-in member's user id (operators' and installations' sockets have none). */
  userId?: string;
  /**
   * Which projects' status and chat the socket may get: `company` (every project: dashboards,
   * operators) or `assigned` (a user who may read only their assigned projects, e.g. installers).
   * Absent: company.
   */
  scope?: "company" | "assigned";
  /** installations:read: presence and the company-wide chat relay. Absent: yes. */
  presence?: boolean;
  /** chat:read: conversation frames. Absent: yes. */
  chat?: boolean;
}

/**
 * Who gets a frame, decided when it is sent (not from tags computed at connect), so an assignment
 * made a second ago already counts: the sockets that may read every project, and these users'.
 * Installations' sockets are never in an audience.
 */
export interface Audience {
  projectReaders: boolean;
  users: readonly string[];
  /** Only sockets allowed chat (chat:read). */
  chat?: boolean;
  /** Leave out this user's sockets (a typing user does not hear their own typing). */
  exceptUser?: string;
}

/** A chat frame from a member's socket, for the hub to check against the tenant database. */
export interface ChatFrame {
  companyId: string;
  userId: string;
  allProjects: boolean;
  frame: Exclude<ClientMessage, { type: "chat.send" }>;
}

/** The header the API worker uses to tell the object who it authenticated. */
export const LIVE_IDENTITY_HEADER = "x-nexus-live-identity";
// An app that reconnects before its old socket times out may briefly hold two; more is a bug or abuse.
export const MAX_SOCKETS_PER_INSTALLATION = 2;
// Members' sockets outside the dashboard limit (installers' phones and tabs): a few each, oldest closed.
export const MAX_SOCKETS_PER_MEMBER = 5;

type Target = "all" | "installation" | "dashboard";

/**
 * A socket's tags: its role's (`dashboard` only for sockets allowed presence, so every existing
 * `dashboard` send stays within installations:read; other members' sockets are `member`), and
 * `installation:<id>` / `user:<id>` to reach one app or one user.
 */
function socketTags(identity: SocketIdentity): string[] {
  if (identity.role === "installation") {
    return ["installation", ...(identity.installationId ? [`installation:${identity.installationId}`] : [])];
  }
  return [
    identity.presence === false ? "member" : "dashboard",
    ...(identity.userId ? [`user:${identity.userId}`] : []),
  ];
}

export class HubSockets {
  readonly #ctx: DurableObjectState;

  constructor(ctx: DurableObjectState) {
    this.#ctx = ctx;
  }

  static identityFromRequest(request: Request): SocketIdentity | null {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return null;
    const header = request.headers.get(LIVE_IDENTITY_HEADER);
    if (!header) return null;
    const identity = JSON.parse(header) as SocketIdentity;
    return { ...identity, connectedAt: Date.now() };
  }

  /** `lastHeartbeatAt`: the installation's latest heartbeat (ms, null: never), sent with its presence. */
  accept(identity: SocketIdentity, lastHeartbeatAt: number | null = null): Response {
    if (identity.role === "dashboard" && this.#openDashboards() >= LIVE_DASHBOARD_SOCKETS_PER_COMPANY) {
      return refuseDashboard();
    }
    const { 0: client, 1: server } = new WebSocketPair();
    const tags = socketTags(identity);
    if (identity.installationId) {
      this.#closeOldest(
        `installation:${identity.installationId}`,
        MAX_SOCKETS_PER_INSTALLATION,
        "installation",
      );
    } else if (identity.userId && tags.includes("member")) {
      this.#closeOldest(`user:${identity.userId}`, MAX_SOCKETS_PER_MEMBER, "user");
    }
    this.#ctx.acceptWebSocket(server, tags);
    server.serializeAttachment(identity);
    send(server, {
      type: "welcome",
      role: identity.role,
      company_id: identity.companyId,
      ...(identity.installationId ? { installation_id: identity.installationId } : {}),
      ...(identity.userId ? { user_id: identity.userId } : {}),
      ...(identity.role === "dashboard" ? { scope: identity.scope ?? "company" } : {}),
    });
    if (identity.installationId) {
      this.presence(identity.installationId, identity.hostname, "online", lastHeartbeatAt);
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Keeps at most `max - 1` of the tag's sockets open, closing the oldest, to make room for one more. */
  #closeOldest(tag: string, max: number, what: string): void {
    const existing = this.#ctx
      .getWebSockets(tag)
      .sort((a, b) => attachment(a).connectedAt - attachment(b).connectedAt);
    for (const old of existing.slice(0, Math.max(0, existing.length - max + 1))) {
      old.close(4008, `replaced by a newer connection of this ${what}`);
    }
  }

  /**
   * Takes a client frame: relays `chat.send` at once; answers a conversation frame (typing,
   * delivered, read) as a ChatFrame for the hub, which checks it against the tenant database.
   */
  receive(ws: WebSocket, message: string | ArrayBuffer): ChatFrame | null {
    const parsed = this.#parse(message);
    if ("problem" in parsed) {
      send(ws, parsed.problem);
      return null;
    }
    const from = attachment(ws);
    const frame = parsed.message;
    if (frame.type === "chat.send") {
      // The company-wide room of the desktop apps and dashboards: members limited to their own jobs
      // are not in it.
      if (from.role === "dashboard" && (from.presence === false || from.scope === "assigned")) {
        send(ws, forbidden("The company-wide chat is for installations and dashboards; use a conversation."));
        return null;
      }
      const relay: ServerMessage = {
        type: "chat.message",
        id: newId(),
        from: { type: from.role, id: from.actorId, ...(from.hostname ? { name: from.hostname } : {}) },
        text: frame.text,
        at: new Date().toISOString(),
      };
      this.send("installation", relay);
      this.send("dashboard", relay);
      return null;
    }
    if (!from.userId || from.chat === false) {
      send(ws, forbidden("Conversations are for the company's signed-in users allowed chat:read."));
      return null;
    }
    return { companyId: from.companyId, userId: from.userId, allProjects: from.scope !== "assigned", frame };
  }

  /** The client frame, or the error frame for one the socket cannot take. */
  #parse(message: string | ArrayBuffer): { message: ClientMessage } | { problem: ServerMessage } {
    const size =
      typeof message === "string" ? new TextEncoder().encode(message).byteLength : message.byteLength;
    if (size > LIVE_MAX_MESSAGE_BYTES) {
      return {
        problem: {
          type: "error",
          code: "MESSAGE_TOO_LARGE",
          message: `Messages are limited to ${LIVE_MAX_MESSAGE_BYTES} bytes.`,
        },
      };
    }
    if (typeof message !== "string") {
      return { problem: { type: "error", code: "UNSUPPORTED_FRAME", message: "Send JSON in text frames." } };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return {
        problem: { type: "error", code: "MALFORMED_JSON", message: "The message is not valid JSON." },
      };
    }
    const result = ClientMessageSchema.safeParse(parsed);
    if (result.success) return { message: result.data };
    const issue = result.error.issues[0];
    return {
      problem: {
        type: "error",
        code: "INVALID_MESSAGE",
        message: `Unknown or invalid message: ${issue ? `${issue.path.join(".") || "type"}: ${issue.message}` : "invalid"}`,
      },
    };
  }

  closed(ws: WebSocket): void {
    const identity = attachment(ws);
    const installationId = identity.installationId;
    if (!installationId) return;
    const stillOpen = this.#ctx
      .getWebSockets(`installation:${installationId}`)
      .some((other) => other !== ws && other.readyState === WebSocket.OPEN);
    if (!stillOpen) this.presence(installationId, identity.hostname, "offline");
  }

  /** Sends to every socket of a kind; returns how many got it. */
  send(target: Target, message: ServerMessage): number {
    const sockets = target === "all" ? this.#ctx.getWebSockets() : this.#ctx.getWebSockets(target);
    for (const ws of sockets) send(ws, message);
    return sockets.length;
  }

  /** Sends to every socket of these users; answers the users who had one open. */
  sendToUsers(userIds: readonly string[], message: ServerMessage): string[] {
    const reached: string[] = [];
    for (const userId of new Set(userIds)) {
      const sockets = this.#open(`user:${userId}`);
      for (const ws of sockets) send(ws, message);
      if (sockets.length > 0) reached.push(userId);
    }
    return reached;
  }

  /** Sends to the audience's sockets; answers the users (with a user id) who had one open. */
  sendToAudience(audience: Audience, message: ServerMessage): string[] {
    const users = new Set(audience.users);
    const reached = new Set<string>();
    for (const ws of [...this.#open("dashboard"), ...this.#open("member")]) {
      const identity = attachment(ws);
      if (audience.chat && identity.chat === false) continue;
      if (identity.userId !== undefined && identity.userId === audience.exceptUser) continue;
      const readsAll = identity.scope !== "assigned";
      if (!(audience.projectReaders && readsAll) && !(identity.userId && users.has(identity.userId)))
        continue;
      send(ws, message);
      if (identity.userId) reached.add(identity.userId);
    }
    return [...reached];
  }

  /** Answers a frame to one socket (an error, or the answer to its own request). */
  reply(ws: WebSocket, message: ServerMessage): void {
    send(ws, message);
  }

  #open(tag: string): WebSocket[] {
    return this.#ctx.getWebSockets(tag).filter((ws) => ws.readyState === WebSocket.OPEN);
  }

  sendToInstallation(installationId: string, message: ServerMessage): void {
    for (const ws of this.#ctx.getWebSockets(`installation:${installationId}`)) send(ws, message);
  }

  /**
   * Tells the dashboards; `online` carries the latest heartbeat, since online is decided by it
   * (installationStatus in @nexus/contracts), not by the socket.
   */
  presence(
    installationId: string,
    hostname: string | null,
    status: PresenceStatus,
    lastHeartbeatAt?: number | null,
  ): void {
    this.send("dashboard", {
      type: "installation.presence",
      installation_id: installationId,
      hostname,
      status,
      at: new Date().toISOString(),
      ...(lastHeartbeatAt === undefined
        ? {}
        : { last_heartbeat_at: lastHeartbeatAt === null ? null : new Date(lastHeartbeatAt).toISOString() }),
    });
  }

  installations(): SocketIdentity[] {
    return this.#ctx.getWebSockets("installation").map(attachment);
  }

  closeInstallation(installationId: string, code: number, reason: string): void {
    for (const ws of this.#ctx.getWebSockets(`installation:${installationId}`)) ws.close(code, reason);
  }

  closeAll(code: number, reason: string): void {
    for (const ws of this.#ctx.getWebSockets()) ws.close(code, reason);
  }

  /** Sockets a dashboard closed may linger in the list until their close handshake ends. */
  #openDashboards(): number {
    return this.#ctx.getWebSockets("dashboard").filter((ws) => ws.readyState === WebSocket.OPEN).length;
  }

  /** Members' limited sockets count with the dashboards (the contract has no separate counter). */
  counts(): { installations: number; dashboards: number } {
    return {
      installations: this.#ctx.getWebSockets("installation").length,
      dashboards: this.#ctx.getWebSockets("dashboard").length + this.#ctx.getWebSockets("member").length,
    };
  }
}

/**
 * The dashboard over the company's limit: accepted, told why and closed at once, outside the
 * hibernation set so it takes no slot. A refused upgrade (HTTP 429) would be clearer to other
 * clients, but a browser sees only a failed connection, neither its status nor its body.
 */
function refuseDashboard(): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  send(server, { type: "error", code: "DASHBOARD_CONNECTION_LIMIT", message: LIVE_DASHBOARD_LIMIT_MESSAGE });
  server.close(LIVE_CLOSE_DASHBOARD_LIMIT, LIVE_DASHBOARD_LIMIT_MESSAGE);
  return new Response(null, { status: 101, webSocket: client });
}

function attachment(ws: WebSocket): SocketIdentity {
  return ws.deserializeAttachment() as SocketIdentity;
}

function forbidden(message: string): ServerMessage {
  return { type: "error", code: "FORBIDDEN", message };
}

function send(ws: WebSocket, message: ServerMessage): void {
  try {
    ws.send(JSON.stringify(message));
  } catch {
    // Closing or closed: the close handler cleans up.
  }
}
