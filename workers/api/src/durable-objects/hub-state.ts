// What a CompanyHub knows of its company: the company's facts (cached, hub-company-state.ts) and its
// installations (the registry in the object's storage, imported from D1 once in the object's life).
import { installations } from "@nexus/db/central";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CentralDb } from "../env.ts";
import { COMPANY_STATE_TTL_MS, type CompanyState, loadCompanyState } from "./hub-company-state.ts";
import { HubRegistry, type RegistryRow } from "./hub-registry.ts";

// What the hub imports of an installation from D1.
const imported = {
  id: installations.id,
  machineId: installations.machineId,
  hostname: installations.hostname,
  isActive: installations.isActive,
  deactivationReason: installations.deactivationReason,
  deactivatedAt: installations.deactivatedAt,
  lastHeartbeatAt: installations.lastHeartbeatAt,
  appVersion: installations.appVersion,
  ipAddress: installations.ipAddress,
  settingsVersionSeen: installations.settingsVersionSeen,
  createdAt: installations.createdAt,
};

/** Who the hub's own writes are audited as. */
export const HUB_ACTOR = { type: "system" as const, id: "company-hub" };

type ImportedRow = Pick<typeof installations.$inferSelect, keyof typeof imported>;

export class HubState {
  readonly registry: HubRegistry;
  readonly #d1: D1Database;
  readonly #db: CentralDb;
  #company: CompanyState | null = null;
  // Facts about storage this instance already checked, so a heartbeat does not re-read them.
  #registryLoaded = false;
  #companyRemembered = false;

  constructor(sql: SqlStorage, d1: D1Database) {
    this.registry = new HubRegistry(sql);
    this.#d1 = d1;
    this.#db = drizzle(d1);
  }

  /** The company as last loaded; null when the object has just woken (hibernated sockets outlive its memory). */
  get loadedCompany(): CompanyState | null {
    return this.#company;
  }

  /** The company whose hub this is, as remembered for the alarm, which runs without a caller. */
  get companyId(): string | undefined {
    return this.registry.getMeta("company_id");
  }

  /**
   * The company without waiting when it is loaded and fresh; undefined means ask `company` (the hot
   * paths answer from memory and only await when something must be loaded).
   */
  freshCompany(): CompanyState | undefined {
    const cached = this.#company;
    return cached && Date.now() - cached.loadedAt < COMPANY_STATE_TTL_MS ? cached : undefined;
  }

  async company(companyId: string, reload = false): Promise<CompanyState | null> {
    this.#rememberCompany(companyId);
    const cached = reload ? undefined : this.freshCompany();
    if (cached) return cached;
    this.#company = await loadCompanyState(this.#d1, companyId);
    this.registry.increment("d1_reads");
    return this.#company;
  }

  /** Loads the company's installations from D1 once in the object's life (its storage keeps them). */
  async ensureRegistry(companyId: string): Promise<void> {
    if (this.#registryLoaded || this.registry.getMeta("registry_loaded")) {
      this.#registryLoaded = true;
      return;
    }
    this.#rememberCompany(companyId);
    const rows = await this.#db
      .select(imported)
      .from(installations)
      .where(eq(installations.companyId, companyId));
    this.registry.increment("d1_reads");
    for (const row of rows) this.#importRow(row);
    this.registry.setMeta("registry_loaded", "1");
    this.#registryLoaded = true;
  }

  /** The installation without waiting when the registry holds it; undefined means ask `installation`. */
  knownInstallation(installationId: string): Readonly<RegistryRow> | undefined {
    return this.#registryLoaded ? this.registry.get(installationId) : undefined;
  }

  async installation(companyId: string, installationId: string): Promise<Readonly<RegistryRow> | undefined> {
    await this.ensureRegistry(companyId);
    const known = this.registry.get(installationId);
    if (known) return known;
    // Joined after the registry was loaded but the activation call did not arrive: look it up once.
    const [row] = await this.#db
      .select(imported)
      .from(installations)
      .where(and(eq(installations.id, installationId), eq(installations.companyId, companyId)))
      .limit(1);
    this.registry.increment("d1_reads");
    if (!row) return undefined;
    this.#importRow(row);
    return this.registry.get(installationId);
  }

  #importRow(row: ImportedRow): void {
    const status = row.isActive ? "active" : row.deactivationReason === "silent" ? "dead" : "deactivated";
    const lastHeartbeatAt = row.lastHeartbeatAt?.getTime() ?? null;
    this.registry.upsert({
      id: row.id,
      machine_id: row.machineId,
      hostname: row.hostname,
      status,
      last_seen_at: lastHeartbeatAt ?? row.createdAt.getTime(),
      last_heartbeat_at: lastHeartbeatAt,
      app_version: row.appVersion,
      ip_address: row.ipAddress,
      settings_version_seen: row.settingsVersionSeen,
    });
    if (status === "dead")
      this.registry.setStatus(row.id, "dead", row.deactivatedAt?.getTime() ?? Date.now());
  }

  /** The alarm runs without a caller, so the object keeps its company id in storage. */
  #rememberCompany(companyId: string): void {
    if (this.#companyRemembered) return;
    if (this.registry.getMeta("company_id") === undefined) this.registry.setMeta("company_id", companyId);
    this.#companyRemembered = true;
  }
}
