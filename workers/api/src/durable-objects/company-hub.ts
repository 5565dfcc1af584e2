// CompanyHub: one Durable Object per company, the serialization point for its heartbeats, rate
// limits and live sockets (ARCHITECTURE.md). Heartbeats touch only this object's storage; an alarm
// writes what changed to D1 in one batch per interval and marks silent installations dead.

import { DurableObject } from "cloudflare:workers";
import {
  type ErrorCode,
  type HeartbeatResponse,
  type HubStats,
  LIVE_PING,
  LIVE_PONG,
  type RateLimitName,
  type TelemetryQueueMessage,
} from "@nexus/contracts";
import { installations } from "@nexus/db/central";
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { getConfig } from "../env.ts";
import { compareVersions } from "../lib/semver.ts";
import { systemAuditStatement } from "../services/audit.ts";
import { dispatchEvents, eventStatement } from "../services/webhook-events.ts";
import { COMPANY_STATE_TTL_MS, type CompanyState, loadCompanyState } from "./hub-company-state.ts";
import { HubRegistry, type RegistryRow } from "./hub-registry.ts";
import { HubSockets } from "./hub-sockets.ts";
import { HubUpdateCounts, type UpdateEvent } from "./hub-update-counts.ts";
import { type RateLimitDecision, TokenBuckets } from "./token-buckets.ts";

export interface HubError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}
/** RPC results carry errors as values: thrown errors lose their code crossing the RPC boundary. */
export type HubResult<T> = { ok: true; value: T } | { ok: false; error: HubError };

export interface HeartbeatCall {
  companyId: string;
  installationId: string;
  companyCode: string;
  machineId: string;
  appVersion: string;
  settingsVersion?: number | undefined;
  ip: string | null;
}

export interface ActivatedInstallation {
  companyId: string;
  id: string;
  machineId: string;
  hostname: string;
  appVersion: string | null;
  ip: string | null;
  settingsVersion: number;
}

// What the hub imports of an installation from D1.
const INSTALLATION_COLUMNS = `SELECT id, machine_id, hostname, is_active, deactivation_reason, deactivated_at,
  last_heartbeat_at, app_version, ip_address, settings_version_seen, created_at FROM installations`;

// A flush writes at most this many installations per statement (D1 bounds statement size).
const FLUSH_CHUNK = 500;
const revalidate = { action: "revalidate" } as const;
// Consecutive failed alarms (hub storage), and the retry delay they earn: 5 s, doubling, at most 10 min.
const ALARM_FAILURES = "alarm_failures";
export const ALARM_RETRY_BASE_MS = 5_000;
export const ALARM_RETRY_MAX_MS = 600_000;
export const alarmRetryDelay = (failures: number) =>
  Math.min(ALARM_RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), ALARM_RETRY_MAX_MS);
const HUB_ACTOR = { type: "system" as const, id: "company-hub" };
const fail = (
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): { ok: false; error: HubError } => ({
  ok: false,
  error: { code, message, ...(details ? { details } : {}) },
});

export class CompanyHub extends DurableObject<Env> {
  readonly #registry: HubRegistry;
  readonly #buckets: TokenBuckets;
  readonly #sockets: HubSockets;
  readonly #updateCounts: HubUpdateCounts;
  #company: CompanyState | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#registry = new HubRegistry(ctx.storage.sql);
    this.#buckets = new TokenBuckets(ctx.storage.sql);
    this.#sockets = new HubSockets(ctx);
    this.#updateCounts = new HubUpdateCounts(ctx.storage.sql);
    // Keep-alive pings are answered by the runtime, without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(LIVE_PING, LIVE_PONG));
  }

  // ---- heartbeats -------------------------------------------------------------------------------

  async heartbeat(call: HeartbeatCall): Promise<HubResult<HeartbeatResponse>> {
    const company = await this.#companyState(call.companyId);
    if (!company)
      return fail("INSTALLATION_NOT_FOUND", "This installation's company no longer exists.", revalidate);
    const installation = await this.#installation(call.companyId, call.installationId);
    if (!installation) {
      return fail(
        "INSTALLATION_NOT_FOUND",
        "This installation is not known. Validate again with the company code.",
        revalidate,
      );
    }
    if (company.companyCode !== call.companyCode || installation.machine_id !== call.machineId) {
      return fail(
        "INVALID_TOKEN",
        "The installation token belongs to a different machine or company. Validate again.",
        revalidate,
      );
    }
    const blocked = companyBlocked(company);
    if (blocked) return blocked;
    const now = Date.now();
    if (installation.status === "deactivated") {
      return fail(
        "INSTALLATION_DEACTIVATED",
        "This installation was deactivated by an administrator. Validate again to rejoin if a seat is free.",
        revalidate,
      );
    }
    if (installation.status === "dead") {
      const revived = await this.#revive(company, installation, now);
      if (!revived.ok) return revived;
    }

    const known =
      call.settingsVersion ??
      this.#beats.get(installation.id)?.settingsVersion ??
      installation.settings_version_seen;
    const settingsChanged = known < company.settingsVersion;
    this.#beats.set(installation.id, {
      at: now,
      appVersion: call.appVersion,
      ip: call.ip,
      settingsVersion: company.settingsVersion,
    });
    this.#unsavedHeartbeats += 1;
    await this.#ensureAlarm();
    return {
      ok: true,
      value: {
        success: true,
        force_update: belowMinimum(call.appVersion, company),
        ...(company.latestVersion ? { latest_version: company.latestVersion } : {}),
        settings_changed: settingsChanged,
        ...(settingsChanged ? { settings: company.settings } : {}),
        settings_version: company.settingsVersion,
      },
    };
  }

  /** Validate took (or refreshed) a seat in D1; the registry follows. */
  async installationActivated(installation: ActivatedInstallation): Promise<void> {
    await this.#ensureRegistry(installation.companyId);
    const now = Date.now();
    this.#registry.upsert({
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
    await this.#ensureAlarm();
  }

  async installationDeactivated(companyId: string, installationId: string): Promise<void> {
    await this.#ensureRegistry(companyId);
    this.#saveBeats();
    this.#registry.setStatus(installationId, "deactivated", Date.now());
    this.#sockets.closeInstallation(installationId, 4003, "deactivated by an administrator");
  }

  /** An operator changed the company: reload it and tell connected apps what changed for them. */
  /**
   * Reloads the company after an admin change and tells its connected installations what concerns
   * them. Answers how many installation sockets got new settings.
   *
   * `before` is null when the object has just woken (hibernated sockets outlive its memory): then
   * what changed is unknown, so the settings and the minimum version are sent anyway. Apps take a
   * settings version they already have, and a minimum they already meet, as no change.
   */
  async companyChanged(companyId: string): Promise<{ settingsPushedTo: number }> {
    const before = this.#company;
    const after = await this.#companyState(companyId, true);
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
        const version = this.#registry.get(identity.installationId ?? "")?.app_version;
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

  /**
   * A feed request in one call: its rate limit and, when allowed, its count (a check or a download
   * of `releaseId`), so the feed's hot path makes a single Durable Object call.
   */
  async rateLimitAndCount(
    companyId: string,
    installationId: string,
    name: RateLimitName,
    count: { releaseId: string; event: UpdateEvent },
  ): Promise<HubResult<RateLimitDecision>> {
    const refused = await this.#refusedInstallation(companyId, installationId);
    if (refused) return refused;
    const decision = await this.rateLimit(companyId, name, `installation:${installationId}`);
    if (decision.allowed) this.#updateCounts.add(count.releaseId, count.event);
    return { ok: true, value: decision };
  }

  /**
   * Revocation for the feed: a deactivated installation's token stays valid until it expires, but
   * the hub knows the installation is gone and refuses it at once.
   */
  async #refusedInstallation(
    companyId: string,
    installationId: string,
  ): Promise<{ ok: false; error: HubError } | null> {
    const installation = await this.#installation(companyId, installationId);
    if (installation && installation.status !== "deactivated") return null;
    return fail(
      "INSTALLATION_DEACTIVATED",
      "This installation was deactivated by an administrator. Validate again to rejoin if a seat is free.",
      revalidate,
    );
  }

  /**
   * A request for an artifact's bytes, limited by `download` per installation: a full download takes
   * a token; ranged requests (a differential download, a resumed one) take one for the first request
   * of an installation for a release and none while that download stays under way.
   */
  async downloadRequest(
    companyId: string,
    installationId: string,
    releaseId: string,
    ranged: boolean,
  ): Promise<HubResult<RateLimitDecision>> {
    const refused = await this.#refusedInstallation(companyId, installationId);
    if (refused) return refused;
    const key = `installation:${installationId}`;
    const company = await this.#companyState(companyId);
    const policy = company?.limits.download;
    if (!policy) throw new Error("no rate limit policy download");
    const now = Date.now();
    const sessionKey = `${key}:${releaseId}`;
    const continuing = ranged && this.#updateCounts.inSession(sessionKey, now);
    const decision = this.#buckets.take(`download:${key}`, policy, now, continuing ? 0 : 1);
    if (decision.allowed) {
      if (ranged) this.#updateCounts.add(releaseId, "range", now);
      if (!continuing) this.#updateCounts.add(releaseId, "download", now);
      if (ranged && !continuing) this.#updateCounts.openSession(sessionKey, now);
    }
    await this.#ensureAlarm();
    return { ok: true, value: decision };
  }

  /**
   * A telemetry batch's gate: the company may send (not suspended or expired), the installation is
   * not deactivated, and the sender (an installation or an API key) is within its rate limit.
   */
  async telemetryRequest(
    companyId: string,
    sender: { installationId: string } | { apiKeyId: string },
  ): Promise<HubResult<RateLimitDecision>> {
    const company = await this.#companyState(companyId);
    if (!company) return fail("COMPANY_NOT_FOUND", "This company no longer exists.");
    const blocked = companyBlocked(company);
    if (blocked) return blocked;
    if ("installationId" in sender) {
      const refused = await this.#refusedInstallation(companyId, sender.installationId);
      if (refused) return refused;
    }
    const key =
      "installationId" in sender ? `installation:${sender.installationId}` : `api_key:${sender.apiKeyId}`;
    return { ok: true, value: await this.rateLimit(companyId, "telemetry", key) };
  }

  async rateLimit(companyId: string, name: RateLimitName, key: string): Promise<RateLimitDecision> {
    const company = await this.#companyState(companyId);
    const policy = company?.limits[name];
    if (!policy) throw new Error(`no rate limit policy ${name}`);
    const decision = this.#buckets.take(`${name}:${key}`, policy);
    await this.#ensureAlarm();
    return decision;
  }

  // ---- live sockets -----------------------------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    const identity = HubSockets.identityFromRequest(request);
    if (!identity) return new Response("the API worker authenticates live connections", { status: 400 });
    const company = await this.#companyState(identity.companyId);
    const blocked = company
      ? companyBlocked(company)
      : fail("COMPANY_NOT_FOUND", "The company no longer exists.");
    if (blocked) return Response.json(blocked.error, { status: 403 });
    if (identity.role === "installation") {
      const installation = await this.#installation(identity.companyId, identity.installationId ?? "");
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
    }
    return this.#sockets.accept(identity);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    this.#sockets.receive(ws, message);
  }

  override async webSocketClose(ws: WebSocket): Promise<void> {
    this.#sockets.closed(ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#sockets.closed(ws);
  }

  async broadcast(companyId: string, text: string): Promise<number> {
    await this.#companyState(companyId);
    return this.#sockets.send("all", { type: "admin.broadcast", text, at: new Date().toISOString() });
  }

  /** A release this company may receive was published or its rollout widened (update delivery). */
  async updateAvailable(companyId: string, version: string, channel: string): Promise<number> {
    await this.#companyState(companyId);
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
    await this.#ensureRegistry(companyId);
    this.#saveBeats();
    return {
      heartbeats: this.#registry.counter("heartbeats"),
      d1_writes: this.#registry.counter("d1_writes"),
      d1_reads: this.#registry.counter("d1_reads"),
      flushes: this.#registry.counter("flushes"),
      pending_flush: this.#registry.dirtyRows().length,
      installations: this.#registry.counts(),
      sockets: this.#sockets.counts(),
    };
  }

  // ---- the alarm: flush to D1, mark silent installations dead -----------------------------------

  override async alarm(): Promise<void> {
    const companyId = this.#registry.getMeta("company_id");
    if (!companyId) return;
    this.#alarmRunning = true;
    try {
      this.#saveBeats();
      await this.#flush(companyId);
      if (await this.#updateCounts.flush(this.env.CENTRAL_DB, companyId))
        this.#registry.increment("d1_writes");
      await this.#markSilentInstallationsDead(companyId);
      this.#buckets.purgeStale();
      this.#updateCounts.purgeSessions();
    } catch (error) {
      // Retried by the hub itself, with backoff: the runtime's own alarm retries are few and then
      // the flush would wait for the next heartbeat, which a company whose apps all went silent
      // never sends (their deaths would never be recorded). The work is idempotent: rows are only
      // marked clean after D1 took them.
      await this.#retryAlarm(companyId, error);
      return;
    } finally {
      this.#alarmRunning = false;
    }
    if (this.#registry.getMeta(ALARM_FAILURES) !== undefined) this.#registry.deleteMeta(ALARM_FAILURES);
    if (
      this.#registry.counts().active > 0 ||
      this.#registry.dirtyRows().length > 0 ||
      this.#updateCounts.pending() > 0
    )
      await this.#scheduleAlarm();
  }

  async #flush(companyId: string): Promise<void> {
    const rows = this.#registry.dirtyRows();
    if (rows.length === 0) return;
    const db = this.env.CENTRAL_DB;
    const statements: D1PreparedStatement[] = [];
    for (let i = 0; i < rows.length; i += FLUSH_CHUNK) {
      const chunk = rows.slice(i, i + FLUSH_CHUNK).map((row) => ({
        id: row.id,
        t: row.last_heartbeat_at,
        v: row.app_version,
        ip: row.ip_address,
        s: row.settings_version_seen,
      }));
      // One statement updates every installation of the chunk (UPDATE … FROM json_each).
      statements.push(
        db
          .prepare(
            `UPDATE installations SET last_heartbeat_at = j.value ->> 't', app_version = j.value ->> 'v',
               ip_address = coalesce(j.value ->> 'ip', installations.ip_address), settings_version_seen = j.value ->> 's'
             FROM json_each(?1) AS j
             WHERE installations.id = j.value ->> 'id' AND installations.company_id = ?2`,
          )
          .bind(JSON.stringify(chunk), companyId),
      );
    }
    await db.batch(statements);
    this.#registry.markClean(rows);
    await this.#reportVersions(companyId, rows);
    this.#registry.increment("d1_writes", statements.length);
    this.#registry.increment("flushes");
  }

  /**
   * Which version each installation ran today, for the adoption charts (workers/consumers keeps it
   * per day in the tenant database). Best effort: the heartbeats are already saved, and the next
   * flush reports again.
   */
  async #reportVersions(companyId: string, rows: RegistryRow[]): Promise<void> {
    const seen = rows.flatMap((row) =>
      row.app_version ? [{ installation_id: row.id, app_version: row.app_version }] : [],
    );
    if (seen.length === 0) return;
    const day = new Date().toISOString().slice(0, 10);
    try {
      // One message per 1,000 installations keeps each well under the queue's 128 KB.
      for (let i = 0; i < seen.length; i += 1000) {
        const message: TelemetryQueueMessage = {
          kind: "versions",
          company_id: companyId,
          day,
          seen: seen.slice(i, i + 1000),
        };
        await this.env.TELEMETRY_QUEUE.send(message, { contentType: "json" });
      }
    } catch (error) {
      console.error(
        JSON.stringify({ level: "warn", event: "version_report_failed", companyId, error: String(error) }),
      );
    }
  }

  async #markSilentInstallationsDead(companyId: string): Promise<void> {
    const config = getConfig(this.env);
    const now = Date.now();
    const silent = this.#registry.silentSince(now - config.INSTALLATION_DEAD_AFTER_SECONDS * 1000);
    if (silent.length === 0) return;
    const db = drizzle(this.env.CENTRAL_DB);
    const ids = JSON.stringify(silent.map((row) => row.id));
    const events = silent.map((row) =>
      eventStatement(db, {
        companyId,
        type: "installation.dead",
        data: {
          installation_id: row.id,
          machine_id: row.machine_id,
          hostname: row.hostname,
          last_seen_at: new Date(row.last_seen_at).toISOString(),
        },
      }),
    );
    await db.batch([
      db
        .update(installations)
        .set({
          isActive: false,
          deactivatedAt: new Date(now),
          deactivationReason: "silent",
          updatedAt: new Date(now),
        })
        .where(
          and(
            eq(installations.companyId, companyId),
            eq(installations.isActive, true),
            sql`${installations.id} IN (SELECT value FROM json_each(${ids}))`,
          ),
        ),
      ...silent.map((row) =>
        systemAuditStatement(db, HUB_ACTOR, {
          companyId,
          action: "installation.dead",
          targetType: "installation",
          targetId: row.id,
          details: { last_seen_at: new Date(row.last_seen_at).toISOString(), hostname: row.hostname },
        }),
      ),
      ...events.map((event) => event.statement),
    ]);
    await dispatchEvents(
      this.env,
      events.map((event) => event.id),
    );
    this.#registry.increment("d1_writes", 1 + silent.length);
    for (const row of silent) {
      this.#registry.setStatus(row.id, "dead", now);
      this.#sockets.presence(row.id, row.hostname, "dead");
      console.log(
        JSON.stringify({ level: "info", event: "installation.dead", companyId, installationId: row.id }),
      );
    }
  }

  /** A late heartbeat within the revive window takes the seat back, if one is free. */
  async #revive(company: CompanyState, installation: RegistryRow, now: number): Promise<HubResult<true>> {
    const config = getConfig(this.env);
    if (
      installation.dead_at === null ||
      now - installation.dead_at > config.INSTALLATION_REVIVE_WINDOW_SECONDS * 1000
    ) {
      return fail(
        "INSTALLATION_DEACTIVATED",
        "This installation was silent for too long and lost its seat. Validate again to rejoin.",
        revalidate,
      );
    }
    const db = drizzle(this.env.CENTRAL_DB);
    // Seat-checked like validate's activation, in one statement, so revivals cannot overshoot the limit.
    const revived = await db.run(sql`
      UPDATE installations SET is_active = 1, deactivated_at = NULL, deactivation_reason = NULL, updated_at = ${now}
      WHERE id = ${installation.id} AND company_id = ${company.companyId} AND is_active = 0 AND deactivation_reason = 'silent'
        AND (SELECT count(*) FROM installations WHERE company_id = ${company.companyId} AND is_active = 1)
          < (SELECT max_installations FROM companies WHERE id = ${company.companyId})`);
    this.#registry.increment("d1_writes");
    if ((revived.meta.changes ?? 0) === 0) {
      return fail(
        "INSTALLATION_LIMIT_REACHED",
        "This installation lost its seat while silent and every seat is now taken. Ask your administrator to free one.",
        { action: "contact_admin", max_installations: company.maxInstallations },
      );
    }
    await systemAuditStatement(db, HUB_ACTOR, {
      companyId: company.companyId,
      action: "installation.revived",
      targetType: "installation",
      targetId: installation.id,
      details: { dead_since: new Date(installation.dead_at).toISOString() },
    });
    this.#registry.increment("d1_writes");
    this.#registry.setStatus(installation.id, "active", now);
    this.#sockets.presence(installation.id, installation.hostname, "online");
    return { ok: true, value: true };
  }

  // ---- state ------------------------------------------------------------------------------------

  async #companyState(companyId: string, reload = false): Promise<CompanyState | null> {
    this.#rememberCompany(companyId);
    const cached = this.#company;
    if (!reload && cached && Date.now() - cached.loadedAt < COMPANY_STATE_TTL_MS) return cached;
    this.#company = await loadCompanyState(this.env.CENTRAL_DB, companyId);
    this.#registry.increment("d1_reads");
    return this.#company;
  }

  /** Loads the company's installations from D1 once in the object's life (its storage keeps them). */
  async #ensureRegistry(companyId: string): Promise<void> {
    if (this.#registryLoaded || this.#registry.getMeta("registry_loaded")) {
      this.#registryLoaded = true;
      return;
    }
    this.#rememberCompany(companyId);
    const { results } = await this.env.CENTRAL_DB.prepare(`${INSTALLATION_COLUMNS} WHERE company_id = ?`)
      .bind(companyId)
      .all<D1InstallationRow>();
    this.#registry.increment("d1_reads");
    for (const row of results) this.#importRow(row);
    this.#registry.setMeta("registry_loaded", "1");
    this.#registryLoaded = true;
  }

  async #installation(companyId: string, installationId: string): Promise<RegistryRow | undefined> {
    await this.#ensureRegistry(companyId);
    const known = this.#registry.get(installationId);
    if (known) return known;
    // Joined after the registry was loaded but the activation call did not arrive: look it up once.
    const row = await this.env.CENTRAL_DB.prepare(`${INSTALLATION_COLUMNS} WHERE id = ? AND company_id = ?`)
      .bind(installationId, companyId)
      .first<D1InstallationRow>();
    this.#registry.increment("d1_reads");
    if (!row) return undefined;
    this.#importRow(row);
    return this.#registry.get(installationId);
  }

  #importRow(row: D1InstallationRow): void {
    const status = row.is_active ? "active" : row.deactivation_reason === "silent" ? "dead" : "deactivated";
    this.#registry.upsert({
      id: row.id,
      machine_id: row.machine_id,
      hostname: row.hostname,
      status,
      last_seen_at: row.last_heartbeat_at ?? row.created_at,
      last_heartbeat_at: row.last_heartbeat_at,
      app_version: row.app_version,
      ip_address: row.ip_address,
      settings_version_seen: row.settings_version_seen,
    });
    if (status === "dead") this.#registry.setStatus(row.id, "dead", row.deactivated_at ?? Date.now());
  }

  #alarmAt: number | null = null;
  #alarmRunning = false;
  // Facts about storage this instance already checked, so a heartbeat does not re-read them.
  #registryLoaded = false;
  #companyRemembered = false;

  /** The alarm runs without a caller, so the object keeps its company id in storage. */
  #rememberCompany(companyId: string): void {
    if (this.#companyRemembered) return;
    if (this.#registry.getMeta("company_id") === undefined) this.#registry.setMeta("company_id", companyId);
    this.#companyRemembered = true;
  }
  // Heartbeats since the last save, newest per installation. A storage write on every heartbeat
  // halved the hub's throughput (the output gate holds each answer until the write is durable), so
  // they are written behind: to the hub's storage at every alarm, just before the flush to D1.
  // A restart loses at most one interval of last-seen times, which the next heartbeat restores.
  readonly #beats = new Map<
    string,
    { at: number; appVersion: string; ip: string | null; settingsVersion: number }
  >();
  #unsavedHeartbeats = 0;

  #saveBeats(): void {
    for (const [id, beat] of this.#beats) {
      this.#registry.recordHeartbeat(id, beat.at, beat.appVersion, beat.ip, beat.settingsVersion);
    }
    this.#beats.clear();
    if (this.#unsavedHeartbeats > 0) this.#registry.increment("heartbeats", this.#unsavedHeartbeats);
    this.#unsavedHeartbeats = 0;
  }

  async #ensureAlarm(): Promise<void> {
    // Setting an alarm while the alarm handler runs would cancel the handler (workerd: "alarm handler
    // canceled with requestScheduledAlarm"); the handler schedules the next one when it ends.
    if (this.#alarmRunning) return;
    if (this.#alarmAt !== null && this.#alarmAt > Date.now()) return;
    const current = await this.ctx.storage.getAlarm();
    if (current !== null) {
      // Pending (possibly due and about to run): leave it.
      this.#alarmAt = current > Date.now() ? current : null;
      return;
    }
    await this.#scheduleAlarm();
  }

  async #retryAlarm(companyId: string, error: unknown): Promise<void> {
    const failures = this.#registry.counter(ALARM_FAILURES) + 1;
    this.#registry.setMeta(ALARM_FAILURES, String(failures));
    const delay = alarmRetryDelay(failures);
    // The error's class and message only: D1 errors name the failing statement, never its bound values.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.error(
      JSON.stringify({
        level: "error",
        event: "hub_alarm_failed",
        companyId,
        failures,
        retry_in_ms: delay,
        error: reason.slice(0, 300),
      }),
    );
    this.#alarmAt = Date.now() + delay;
    await this.ctx.storage.setAlarm(this.#alarmAt);
  }

  async #scheduleAlarm(): Promise<void> {
    this.#alarmAt = Date.now() + getConfig(this.env).HEARTBEAT_FLUSH_SECONDS * 1000;
    await this.ctx.storage.setAlarm(this.#alarmAt);
  }
}

interface D1InstallationRow {
  id: string;
  machine_id: string;
  hostname: string;
  is_active: number;
  deactivation_reason: string | null;
  deactivated_at: number | null;
  last_heartbeat_at: number | null;
  app_version: string | null;
  ip_address: string | null;
  settings_version_seen: number;
  created_at: number;
}

/** The version below which apps must update: the company's own minimum or its channel's, whichever is higher. */
function requiredVersion(company: CompanyState): string | null {
  const { minimumAppVersion: own, channelMinimumVersion: channel } = company;
  if (!own || !channel) return own ?? channel;
  return compareVersions(own, channel) >= 0 ? own : channel;
}

function belowMinimum(appVersion: string, company: CompanyState): boolean {
  const minimum = requiredVersion(company);
  return minimum !== null && compareVersions(appVersion, minimum) < 0;
}

function companyBlocked(company: CompanyState): { ok: false; error: HubError } | null {
  if (company.suspended) {
    return fail("COMPANY_SUSPENDED", "This company's account is suspended. Contact your administrator.", {
      action: "contact_admin",
    });
  }
  if (company.expiresAt !== null && company.expiresAt <= Date.now()) {
    return fail(
      "SUBSCRIPTION_EXPIRED",
      "This company's subscription has expired. Contact your administrator.",
      {
        action: "contact_admin",
      },
    );
  }
  return null;
}
