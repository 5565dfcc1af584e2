// The live WebSockets of a CompanyHub, on the Hibernation API: the object may sleep between
// messages, so who is on each socket lives in its attachment and its tags, not in memory.
import {
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
}

/** The header the API worker uses to tell the object who it authenticated. */
export const LIVE_IDENTITY_HEADER = "x-nexus-live-identity";
// An app that reconnects before its old socket times out may briefly hold two; more is a bug or abuse.
export const MAX_SOCKETS_PER_INSTALLATION = 2;

type Target = "all" | "installation" | "dashboard";

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
    const tags: string[] = [identity.role];
    if (identity.installationId) {
      tags.push(`installation:${identity.installationId}`);
      const existing = this.#ctx
        .getWebSockets(`installation:${identity.installationId}`)
        .sort((a, b) => attachment(a).connectedAt - attachment(b).connectedAt);
      for (const old of existing.slice(0, Math.max(0, existing.length - MAX_SOCKETS_PER_INSTALLATION + 1))) {
        old.close(4008, "replaced by a newer connection of this installation");
      }
    }
    this.#ctx.acceptWebSocket(server, tags);
    server.serializeAttachment(identity);
    send(server, {
      type: "welcome",
      role: identity.role,
      company_id: identity.companyId,
      ...(identity.installationId ? { installation_id: identity.installationId } : {}),
    });
    if (identity.installationId) {
      this.presence(identity.installationId, identity.hostname, "online", lastHeartbeatAt);
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  receive(ws: WebSocket, message: string | ArrayBuffer): void {
    const problem = this.#chatMessage(ws, message);
    if (problem) send(ws, problem);
  }

  /** Relays a chat message; returns the error frame for a message it cannot take. */
  #chatMessage(ws: WebSocket, message: string | ArrayBuffer): ServerMessage | null {
    const size =
      typeof message === "string" ? new TextEncoder().encode(message).byteLength : message.byteLength;
    if (size > LIVE_MAX_MESSAGE_BYTES) {
      return {
        type: "error",
        code: "MESSAGE_TOO_LARGE",
        message: `Messages are limited to ${LIVE_MAX_MESSAGE_BYTES} bytes.`,
      };
    }
    if (typeof message !== "string") {
      return { type: "error", code: "UNSUPPORTED_FRAME", message: "Send JSON in text frames." };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return { type: "error", code: "MALFORMED_JSON", message: "The message is not valid JSON." };
    }
    const result = ClientMessageSchema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      return {
        type: "error",
        code: "INVALID_MESSAGE",
        message: `Unknown or invalid message: ${issue ? `${issue.path.join(".") || "type"}: ${issue.message}` : "invalid"}`,
      };
    }
    const from = attachment(ws);
    this.send("all", {
      type: "chat.message",
      id: newId(),
      from: { type: from.role, id: from.actorId, ...(from.hostname ? { name: from.hostname } : {}) },
      text: result.data.text,
      at: new Date().toISOString(),
    });
    return null;
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

  counts(): { installations: number; dashboards: number } {
    return {
      installations: this.#ctx.getWebSockets("installation").length,
      dashboards: this.#ctx.getWebSockets("dashboard").length,
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

function send(ws: WebSocket, message: ServerMessage): void {
  try {
    ws.send(JSON.stringify(message));
  } catch {
    // Closing or closed: the close handler cleans up.
  }
}
