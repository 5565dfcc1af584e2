// CompanyHub: one Durable Object per company, the serialization point for its heartbeats, rate
// limits and live sockets (ARCHITECTURE.md). Heartbeats touch only this object's storage; an alarm
// writes what changed to D1 in one batch per interval and marks silent installations dead.
//
// The class is the object's RPC, fetch and alarm surface; the work is done by its parts:
// hub-state.ts (company facts, installation registry), hub-heartbeats.ts, hub-rate-limits.ts,
// hub-llm.ts (LLM budgets, limits and circuit breakers), hub-sockets.ts (live sockets),
// hub-chat.ts (conversation frames from members' sockets),
// hub-flush.ts (the writes to D1) and hub-alarm.ts (scheduling).

import { DurableObject } from "cloudflare:workers";
import {
  compareVersions,
  type HeartbeatResponse,
  type HubStats,
  LIVE_PING,
  LIVE_PONG,
  type RateLimitName,
  type ServerMessage,
} from "@nexus/contracts";
import { HubAlarm } from "./hub-alarm.ts";
import { HubChat } from "./hub-chat.ts";
import { requiredVersion } from "./hub-company-state.ts";
import { HubFlush } from "./hub-flush.ts";
import { type HeartbeatCall, HubHeartbeats } from "./hub-heartbeats.ts";
import {
  HubLlm,
  type LlmAdmission,
  type LlmBeginRequest,
  type LlmSettlement,
  type LlmSpend,
} from "./hub-llm.ts";
import { type HeldNotification, HubNotifications } from "./hub-notifications.ts";
import { type FeedRequest, HubRateLimits, type TelemetrySender } from "./hub-rate-limits.ts";
import { companyBlocked, fail, type HubResult, revalidate } from "./hub-result.ts";
import { type Audience, HubSockets } from "./hub-sockets.ts";
import { HubState } from "./hub-state.ts";
import { HubUpdateCounts } from "./hub-update-counts.ts";
import { type RateLimitDecision, TokenBuckets } from "./token-buckets.ts";

export interface ActivatedInstallation {
  companyId: string;
  id: string;
  machineId: string;
  hostname: string;
  appVersion: string | null;
  ip: string | null;
  settingsVersion: number;
}

export class CompanyHub extends DurableObject<Env> {
  readonly #state: HubState;
  readonly #sockets: HubSockets;
  readonly #chat: HubChat;
  readonly #alarm: HubAlarm;
  readonly #heartbeats: HubHeartbeats;
  readonly #rateLimits: HubRateLimits;
  readonly #flush: HubFlush;
  readonly #llm: HubLlm;
  readonly #notifications: HubNotifications;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#state = new HubState(ctx.storage.sql, env.CENTRAL_DB);
    const { registry } = this.#state;
    const updateCounts = new HubUpdateCounts(ctx.storage.sql);
    this.#sockets = new HubSockets(ctx);
    this.#chat = new HubChat(env, this.#sockets);
    this.#alarm = new HubAlarm(ctx.storage, registry, env);
    this.#heartbeats = new HubHeartbeats(env, this.#state, this.#sockets, this.#alarm);
    const buckets = new TokenBuckets(ctx.storage.sql, { writeBehind: true });
    this.#rateLimits = new HubRateLimits({ state: this.#state, buckets, updateCounts, alarm: this.#alarm });
    this.#llm = new HubLlm(ctx.storage.sql, buckets);
    this.#flush = new HubFlush(env, registry, updateCounts, this.#sockets);
    this.#notifications = new HubNotifications(ctx.storage.sql, env);
    // Keep-alive pings are answered by the runtime, without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(LIVE_PING, LIVE_PONG));
  }

  // ---- heartbeats and installations -------------------------------------------------------------

  heartbeat(call: HeartbeatCall): Promise<HubResult<HeartbeatResponse>> {
    return this.#heartbeats.heartbeat(call);
  }

  /** Validate took (or refreshed) a seat in D1; the registry follows. */
  async installationActivated(installation: ActivatedInstallation): Promise<void> {
    await this.#state.ensureRegistry(installation.companyId);
    const now = Date.now();
    this.#state.registry.upsert({
      id: installation.id,
      machine_id: installation.machineId,
      hostname: installation.hostname,
      status: "active",
      last_seen_at: now,
      last_heartbeat_at: null,
      app_version: installation.appVersion,
      ip_address: installation.ip,
      settings_version_seen: installation.settingsVersion,
    });
    await this.#alarm.ensure();
  }

  async installationDeactivated(companyId: string, installationId: string): Promise<void> {
    await this.#state.ensureRegistry(companyId);
    this.#heartbeats.save();
    this.#state.registry.setStatus(installationId, "deactivated", Date.now());
    this.#sockets.closeInstallation(installationId, 4003, "deactivated by an administrator");
  }

  /**
   * Reloads the company after an admin change and tells its connected installations what concerns
   * them. Answers how many installation sockets got new settings.
   *
   * `before` is null when the object has just woken (hibernated sockets outlive its memory): then
   * what changed is unknown, so the settings and the minimum version are sent anyway. Apps take a
   * settings version they already have, and a minimum they already meet, as no change.
   */
  async companyChanged(companyId: string): Promise<{ settingsPushedTo: number }> {
    const before = this.#state.loadedCompany;
    const after = await this.#state.company(companyId, true);
    if (!after) return { settingsPushedTo: 0 };
    if (after.suspended) {
      this.#sockets.closeAll(4003, "the company is suspended");
      return { settingsPushedTo: 0 };
    }
    let settingsPushedTo = 0;
    if (!before || after.settingsVersion > before.settingsVersion) {
      settingsPushedTo = this.#sockets.send("installation", {
        type: "settings.changed",
        settings_version: after.settingsVersion,
        settings: after.settings,
      });
    }
    const minimum = requiredVersion(after);
    if (minimum && minimum !== (before ? requiredVersion(before) : null)) {
      for (const identity of this.#sockets.installations()) {
        const version = this.#state.registry.get(identity.installationId ?? "")?.app_version;
        if (version && compareVersions(version, minimum) < 0) {
          this.#sockets.sendToInstallation(identity.installationId ?? "", {
            type: "force_update",
            minimum_version: minimum,
          });
        }
      }
    }
    return { settingsPushedTo };
  }

  // ---- rate limits ------------------------------------------------------------------------------

  /** A feed request's rate limit and count in one call, so the feed's hot path makes one hub call. */
  feedRequest(companyId: string, item: FeedRequest): Promise<HubResult<RateLimitDecision>> {
    return this.#rateLimits.feedRequest(companyId, item);
  }

  downloadRequest(
    companyId: string,
    installationId: string,
    releaseId: string,
    ranged: boolean,
  ): Promise<HubResult<RateLimitDecision>> {
    return this.#rateLimits.downloadRequest(companyId, installationId, releaseId, ranged);
  }

  telemetryRequest(companyId: string, sender: TelemetrySender): Promise<HubResult<RateLimitDecision>> {
    return this.#rateLimits.telemetryRequest(companyId, sender);
  }

  rateLimit(companyId: string, name: RateLimitName, key: string): Promise<RateLimitDecision> {
    return this.#rateLimits.rateLimit(companyId, name, key);
  }

  // ---- the LLM gateway: budgets, requests and tokens per minute, circuit breakers -----------------

  /**
   * Admits an LLM call (reserving its cost and tokens) or refuses it: RATE_LIMITED,
   * LLM_BUDGET_EXCEEDED, and for an installation's call, its revocation (deactivated, or the company
   * suspended) while its token is still unexpired.
   */
  async llmBegin(
    companyId: string,
    request: LlmBeginRequest,
    installationId: string | null = null,
  ): Promise<HubResult<LlmAdmission>> {
    if (installationId !== null) {
      const refusal = await this.#rateLimits.installationRefusal(companyId, installationId);
      if (refusal) return refusal;
    }
    return this.#llm.begin(request);
  }

  /** Settles an LLM call begun with llmBegin: its actual cost and tokens, and the targets it tried. */
  llmEnd(_companyId: string, settlement: LlmSettlement): void {
    this.#llm.end(settlement);
  }

  llmSpend(_companyId: string, period: string): LlmSpend {
    return this.#llm.spend(period);
  }

  // ---- held notifications (quiet hours, digests): released by the alarm -------------------------

  /** Holds notification messages until their times (services/notifications/hold.ts). */
  async holdNotifications(companyId: string, messages: HeldNotification[]): Promise<void> {
    await this.#state.company(companyId);
    this.#notifications.hold(messages);
    const next = this.#notifications.nextReleaseAt();
    if (next !== null) await this.#alarm.ensureBy(next);
  }

  heldNotifications(_companyId: string): { held: number; next_release_at: number | null } {
    return { held: this.#notifications.held(), next_release_at: this.#notifications.nextReleaseAt() };
  }

  // ---- live sockets -----------------------------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    const identity = HubSockets.identityFromRequest(request);
    if (!identity) return new Response("the API worker authenticates live connections", { status: 400 });
    const company = await this.#state.company(identity.companyId);
    const blocked = company
      ? companyBlocked(company)
      : fail("COMPANY_NOT_FOUND", "The company no longer exists.");
    if (blocked) return Response.json(blocked.error, { status: 403 });
    if (identity.role === "installation") {
      const installation = await this.#state.installation(identity.companyId, identity.installationId ?? "");
      if (installation?.status !== "active") {
        return Response.json(
          {
            code: "INSTALLATION_DEACTIVATED",
            message: "This installation is not active. Validate again.",
            details: revalidate,
          },
          { status: 403 },
        );
      }
      identity.hostname = installation.hostname;
      return this.#sockets.accept(identity, this.#heartbeats.lastHeartbeatAt(installation));
    }
    return this.#sockets.accept(identity);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const chat = this.#sockets.receive(ws, message);
    if (chat) await this.#chat.handle(ws, chat);
  }

  /** In-app notifications and receipts: to every open socket of these users; answers who had one. */
  sendToUsers(_companyId: string, userIds: string[], message: ServerMessage): string[] {
    return this.#sockets.sendToUsers(userIds, message);
  }

  /** Project status and chat: to the audience decided now (hub-sockets.ts Audience); answers the users reached. */
  sendToAudience(_companyId: string, audience: Audience, message: ServerMessage): string[] {
    return this.#sockets.sendToAudience(audience, message);
  }

  override async webSocketClose(ws: WebSocket): Promise<void> {
    this.#sockets.closed(ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#sockets.closed(ws);
  }

  async broadcast(companyId: string, text: string): Promise<number> {
    await this.#state.company(companyId);
    return this.#sockets.send("all", { type: "admin.broadcast", text, at: new Date().toISOString() });
  }

  /** A release this company may receive was published or its rollout widened (update delivery). */
  async updateAvailable(companyId: string, version: string, channel: string): Promise<number> {
    await this.#state.company(companyId);
    return this.#sockets.send("installation", { type: "update.available", version, channel });
  }

  /**
   * Publishing: the channel's minimum version may have risen (companyChanged reloads the state and
   * pushes force_update to installations now below it), then every live installation hears of it.
   */
  async releaseAvailable(companyId: string, version: string, channel: string): Promise<number> {
    await this.companyChanged(companyId);
    return this.updateAvailable(companyId, version, channel);
  }

  async stats(companyId: string): Promise<Omit<HubStats, "success">> {
    await this.#state.ensureRegistry(companyId);
    this.#heartbeats.save();
    const { registry } = this.#state;
    return {
      heartbeats: registry.counter("heartbeats"),
      d1_writes: registry.counter("d1_writes"),
      d1_reads: registry.counter("d1_reads"),
      flushes: registry.counter("flushes"),
      pending_flush: registry.dirtyRows().length,
      installations: registry.counts(),
      sockets: this.#sockets.counts(),
    };
  }

  // ---- the alarm: flush to D1, mark silent installations dead -----------------------------------

  override async alarm(): Promise<void> {
    const companyId = this.#state.companyId;
    if (!companyId) return;
    await this.#alarm.run(
      companyId,
      async () => {
        // First: a failing D1 flush must not keep notifications past their time.
        await this.#notifications.releaseDue(companyId);
        this.#heartbeats.save();
        await this.#flush.run(companyId);
        this.#rateLimits.purge();
      },
      () => this.#flush.pending(),
      () => this.#notifications.nextReleaseAt(),
    );
  }
}
