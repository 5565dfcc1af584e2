// The CompanyHub's alarm work: the heartbeats its registry took since the last flush go to D1 in
// batched writes, the update counts follow, and installations silent past the grace period are
// marked dead.
import type { TelemetryQueueMessage } from "@nexus/contracts";
import { installations } from "@nexus/db/central";
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { getConfig } from "../env.ts";
import { systemAuditStatement } from "../services/audit.ts";
import { dispatchEvents, eventStatement } from "../services/webhook-events.ts";
import type { HubRegistry, RegistryRow } from "./hub-registry.ts";
import type { HubSockets } from "./hub-sockets.ts";
import { HUB_ACTOR } from "./hub-state.ts";
import type { HubUpdateCounts } from "./hub-update-counts.ts";

// A flush writes at most this many installations per statement (D1 bounds statement size).
const FLUSH_CHUNK = 500;

export class HubFlush {
  readonly #env: Env;
  readonly #registry: HubRegistry;
  readonly #updateCounts: HubUpdateCounts;
  readonly #sockets: HubSockets;

  constructor(env: Env, registry: HubRegistry, updateCounts: HubUpdateCounts, sockets: HubSockets) {
    this.#env = env;
    this.#registry = registry;
    this.#updateCounts = updateCounts;
    this.#sockets = sockets;
  }

  /**
   * Everything the registry and the update counts hold for D1, then the deaths. Idempotent: rows are
   * only marked clean after D1 took them, so a failed run is simply run again.
   */
  async run(companyId: string): Promise<void> {
    await this.#flushInstallations(companyId);
    if (await this.#updateCounts.flush(this.#env.CENTRAL_DB, companyId))
      this.#registry.increment("d1_writes");
    await this.#markSilentInstallationsDead(companyId);
  }

  /** Whether another alarm is needed: installations to watch, or writes still pending. */
  pending(): boolean {
    return (
      this.#registry.counts().active > 0 ||
      this.#registry.dirtyRows().length > 0 ||
      this.#updateCounts.pending() > 0
    );
  }

  async #flushInstallations(companyId: string): Promise<void> {
    const rows = this.#registry.dirtyRows();
    if (rows.length === 0) return;
    const db = this.#env.CENTRAL_DB;
    const statements: D1PreparedStatement[] = [];
    for (let i = 0; i < rows.length; i += FLUSH_CHUNK) {
      const chunk = rows.slice(i, i + FLUSH_CHUNK).map((row) => ({
        id: row.id,
        t: row.last_heartbeat_at,
        v: row.app_version,
        ip: row.ip_address,
        s: row.settings_version_seen,
      }));
      // One statement updates every installation of the chunk (UPDATE … FROM json_each), each with
      // its own values: drizzle's update sets the same values on every row it matches, so this one
      // stays SQL.
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
        await this.#env.TELEMETRY_QUEUE.send(message, { contentType: "json" });
      }
    } catch (error) {
      console.error(
        JSON.stringify({ level: "warn", event: "version_report_failed", companyId, error: String(error) }),
      );
    }
  }

  async #markSilentInstallationsDead(companyId: string): Promise<void> {
    const config = getConfig(this.#env);
    const now = Date.now();
    const silent = this.#registry.silentSince(now - config.INSTALLATION_DEAD_AFTER_SECONDS * 1000);
    if (silent.length === 0) return;
    const db = drizzle(this.#env.CENTRAL_DB);
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
            // One bound JSON array instead of a parameter per id (D1 caps bound parameters at 100).
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
      this.#env,
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
}
