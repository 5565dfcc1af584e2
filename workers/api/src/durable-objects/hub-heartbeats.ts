// Heartbeats: answered from the hub's memory and storage only; a late one within the revive window
// takes its installation's seat back in D1. The flush (hub-flush.ts) copies them to D1.
import { type HeartbeatResponse, heartbeatIsRecent } from "@nexus/contracts";
import { companies, installations } from "@nexus/db/central";
import { and, count, eq, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { getConfig } from "../env.ts";
import { systemAuditStatement } from "../services/audit.ts";
import type { HubAlarm } from "./hub-alarm.ts";
import { belowMinimum, type CompanyState } from "./hub-company-state.ts";
import type { RegistryRow } from "./hub-registry.ts";
import {
  companyBlocked,
  deactivatedByAdmin,
  fail,
  type HubFailure,
  type HubResult,
  revalidate,
} from "./hub-result.ts";
import type { HubSockets } from "./hub-sockets.ts";
import { HUB_ACTOR, type HubState } from "./hub-state.ts";

export interface HeartbeatCall {
  companyId: string;
  installationId: string;
  companyCode: string;
  machineId: string;
  appVersion: string;
  settingsVersion?: number | undefined;
  ip: string | null;
}

export class HubHeartbeats {
  readonly #env: Env;
  readonly #state: HubState;
  readonly #sockets: HubSockets;
  readonly #alarm: HubAlarm;
  // Heartbeats since the last save, newest per installation. A storage write on every heartbeat
  // halved the hub's throughput (the output gate holds each answer until the write is durable), so
  // they are written behind: to the hub's storage at every alarm, just before the flush to D1.
  // A restart loses at most one interval of last-seen times, which the next heartbeat restores.
  readonly #beats = new Map<
    string,
    { at: number; appVersion: string; ip: string | null; settingsVersion: number }
  >();
  #unsaved = 0;

  constructor(env: Env, state: HubState, sockets: HubSockets, alarm: HubAlarm) {
    this.#env = env;
    this.#state = state;
    this.#sockets = sockets;
    this.#alarm = alarm;
  }

  /**
   * A heartbeat whose company and installation are in memory and that needs no revival is answered
   * without waiting on anything but the alarm check (itself answered from memory once scheduled).
   */
  async heartbeat(call: HeartbeatCall): Promise<HubResult<HeartbeatResponse>> {
    const result = this.#now(call) ?? (await this.#loaded(call));
    await this.#alarm.ensure();
    return result;
  }

  #now(call: HeartbeatCall): HubResult<HeartbeatResponse> | undefined {
    const company = this.#state.freshCompany();
    const installation = company && this.#state.knownInstallation(call.installationId);
    if (!company || !installation || installation.status === "dead") return undefined;
    return (
      this.#refused(call, company, installation) ?? this.#record(call, company, installation, Date.now())
    );
  }

  /** The heartbeat once its company and installation are loaded, a dead installation revived. */
  async #loaded(call: HeartbeatCall): Promise<HubResult<HeartbeatResponse>> {
    const company = await this.#state.company(call.companyId);
    if (!company)
      return fail("INSTALLATION_NOT_FOUND", "This installation's company no longer exists.", revalidate);
    const installation = await this.#state.installation(call.companyId, call.installationId);
    if (!installation) {
      return fail(
        "INSTALLATION_NOT_FOUND",
        "This installation is not known. Validate again with the company code.",
        revalidate,
      );
    }
    const refused = this.#refused(call, company, installation);
    if (refused) return refused;
    const now = Date.now();
    if (installation.status === "dead") {
      const revived = await this.#revive(company, installation, now);
      if (!revived.ok) return revived;
    }
    return this.#record(call, company, installation, now);
  }

  #refused(
    call: HeartbeatCall,
    company: CompanyState,
    installation: Readonly<RegistryRow>,
  ): HubFailure | null {
    if (company.companyCode !== call.companyCode || installation.machine_id !== call.machineId) {
      return fail(
        "INVALID_TOKEN",
        "The installation token belongs to a different machine or company. Validate again.",
        revalidate,
      );
    }
    const blocked = companyBlocked(company);
    if (blocked) return blocked;
    if (installation.status === "deactivated") return deactivatedByAdmin();
    return null;
  }

  #record(
    call: HeartbeatCall,
    company: CompanyState,
    installation: Readonly<RegistryRow>,
    now: number,
  ): HubResult<HeartbeatResponse> {
    const known =
      call.settingsVersion ??
      this.#beats.get(installation.id)?.settingsVersion ??
      installation.settings_version_seen;
    const settingsChanged = known < company.settingsVersion;
    // Online is a heartbeat within the window (@nexus/contracts): tell the dashboards when this one
    // makes the installation online, not on every heartbeat.
    if (!heartbeatIsRecent(this.lastHeartbeatAt(installation), now)) {
      this.#sockets.presence(installation.id, installation.hostname, "online", now);
    }
    this.#beats.set(installation.id, {
      at: now,
      appVersion: call.appVersion,
      ip: call.ip,
      settingsVersion: company.settingsVersion,
    });
    this.#unsaved += 1;
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

  /** The installation's latest heartbeat (ms), including those not yet saved; null: never. */
  lastHeartbeatAt(installation: Readonly<RegistryRow>): number | null {
    return this.#beats.get(installation.id)?.at ?? installation.last_heartbeat_at;
  }

  /** Writes the heartbeats held in memory to the registry (and counts them). */
  save(): void {
    const { registry } = this.#state;
    for (const [id, beat] of this.#beats) {
      registry.recordHeartbeat(id, beat.at, beat.appVersion, beat.ip, beat.settingsVersion);
    }
    this.#beats.clear();
    if (this.#unsaved > 0) registry.increment("heartbeats", this.#unsaved);
    this.#unsaved = 0;
  }

  /** A late heartbeat within the revive window takes the seat back, if one is free. */
  async #revive(
    company: CompanyState,
    installation: Readonly<RegistryRow>,
    now: number,
  ): Promise<HubResult<true>> {
    const config = getConfig(this.#env);
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
    const db = drizzle(this.#env.CENTRAL_DB);
    const seatsTaken = db
      .select({ n: count() })
      .from(installations)
      .where(and(eq(installations.companyId, company.companyId), eq(installations.isActive, true)));
    const seats = db
      .select({ max: companies.maxInstallations })
      .from(companies)
      .where(eq(companies.id, company.companyId));
    // Seat-checked like validate's activation, in one statement, so revivals cannot overshoot the limit.
    const revived = await db
      .update(installations)
      .set({ isActive: true, deactivatedAt: null, deactivationReason: null, updatedAt: new Date(now) })
      .where(
        and(
          eq(installations.id, installation.id),
          eq(installations.companyId, company.companyId),
          eq(installations.isActive, false),
          eq(installations.deactivationReason, "silent"),
          lt(seatsTaken, seats),
        ),
      );
    const { registry } = this.#state;
    registry.increment("d1_writes");
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
    registry.increment("d1_writes");
    registry.setStatus(installation.id, "active", now);
    this.#sockets.presence(installation.id, installation.hostname, "online", now);
    return { ok: true, value: true };
  }
}
