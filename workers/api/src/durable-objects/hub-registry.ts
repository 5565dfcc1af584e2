// The company's installations as its CompanyHub sees them, in the object's own SQLite storage.
// Heartbeats update this registry only; the alarm copies changes to D1 (`dirty` marks them).
// Storage is the source of truth; the rows read or written since the object started are also kept
// in memory, so the hot paths (every heartbeat and feed check asks for its installation) read a Map.

export type RegistryStatus = "active" | "dead" | "deactivated";

export type RegistryRow = {
  id: string;
  machine_id: string;
  hostname: string | null;
  status: RegistryStatus;
  /** Last heartbeat, or activation when there was none yet: what the grace period counts from. */
  last_seen_at: number;
  last_heartbeat_at: number | null;
  app_version: string | null;
  ip_address: string | null;
  settings_version_seen: number;
  dead_at: number | null;
  dirty: number;
};

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS installations (
    id TEXT PRIMARY KEY,
    machine_id TEXT NOT NULL,
    hostname TEXT,
    status TEXT NOT NULL,
    last_seen_at INTEGER NOT NULL,
    last_heartbeat_at INTEGER,
    app_version TEXT,
    ip_address TEXT,
    settings_version_seen INTEGER NOT NULL DEFAULT 0,
    dead_at INTEGER,
    dirty INTEGER NOT NULL DEFAULT 0
  )`,
  "CREATE INDEX IF NOT EXISTS installations_status_seen ON installations (status, last_seen_at)",
  "CREATE INDEX IF NOT EXISTS installations_dirty ON installations (dirty) WHERE dirty = 1",
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
];

export class HubRegistry {
  readonly #sql: SqlStorage;
  // Every write to the table goes through this class and keeps the copy in step (RETURNING *).
  readonly #rows = new Map<string, Readonly<RegistryRow>>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    for (const statement of SCHEMA) this.#sql.exec(statement);
  }

  get(id: string): Readonly<RegistryRow> | undefined {
    const kept = this.#rows.get(id);
    if (kept) return kept;
    return this.#keep(this.#sql.exec<RegistryRow>("SELECT * FROM installations WHERE id = ?", id));
  }

  /** Keeps the rows a statement read or wrote (RETURNING *); answers the last. */
  #keep(cursor: SqlStorageCursor<RegistryRow>): RegistryRow | undefined {
    let last: RegistryRow | undefined;
    for (const row of cursor) {
      this.#rows.set(row.id, row);
      last = row;
    }
    return last;
  }

  upsert(row: Omit<RegistryRow, "dirty" | "dead_at">): void {
    this.#keep(
      this.#sql.exec<RegistryRow>(
        `INSERT INTO installations (id, machine_id, hostname, status, last_seen_at, last_heartbeat_at, app_version, ip_address, settings_version_seen, dead_at, dirty)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, 0)
       ON CONFLICT (id) DO UPDATE SET machine_id = ?2, hostname = ?3, status = ?4, last_seen_at = max(last_seen_at, ?5),
         last_heartbeat_at = coalesce(?6, last_heartbeat_at), app_version = coalesce(?7, app_version),
         ip_address = coalesce(?8, ip_address), settings_version_seen = ?9, dead_at = NULL
       RETURNING *`,
        row.id,
        row.machine_id,
        row.hostname,
        row.status,
        row.last_seen_at,
        row.last_heartbeat_at,
        row.app_version,
        row.ip_address,
        row.settings_version_seen,
      ),
    );
  }

  recordHeartbeat(
    id: string,
    at: number,
    appVersion: string,
    ip: string | null,
    settingsVersion: number,
  ): void {
    this.#keep(
      this.#sql.exec<RegistryRow>(
        `UPDATE installations SET status = 'active', dead_at = NULL, last_seen_at = ?2, last_heartbeat_at = ?2,
           app_version = ?3, ip_address = coalesce(?4, ip_address), settings_version_seen = ?5, dirty = 1
         WHERE id = ?1 RETURNING *`,
        id,
        at,
        appVersion,
        ip,
        settingsVersion,
      ),
    );
  }

  setStatus(id: string, status: RegistryStatus, at: number): void {
    this.#keep(
      this.#sql.exec<RegistryRow>(
        "UPDATE installations SET status = ?2, dead_at = CASE WHEN ?2 = 'dead' THEN ?3 ELSE NULL END WHERE id = ?1 RETURNING *",
        id,
        status,
        at,
      ),
    );
  }

  dirtyRows(): RegistryRow[] {
    return this.#sql.exec<RegistryRow>("SELECT * FROM installations WHERE dirty = 1").toArray();
  }

  /**
   * Clears the dirty mark of flushed rows, unless a heartbeat changed them while the flush was on
   * its way to D1: those stay dirty for the next flush.
   */
  markClean(flushed: readonly RegistryRow[]): void {
    for (const row of flushed) {
      this.#keep(
        this.#sql.exec<RegistryRow>(
          "UPDATE installations SET dirty = 0 WHERE id = ? AND last_heartbeat_at IS ? RETURNING *",
          row.id,
          row.last_heartbeat_at,
        ),
      );
    }
  }

  silentSince(cutoff: number): RegistryRow[] {
    return this.#sql
      .exec<RegistryRow>("SELECT * FROM installations WHERE status = 'active' AND last_seen_at < ?", cutoff)
      .toArray();
  }

  counts(): Record<RegistryStatus, number> {
    const counts: Record<RegistryStatus, number> = { active: 0, dead: 0, deactivated: 0 };
    for (const row of this.#sql.exec<{ status: RegistryStatus; n: number }>(
      "SELECT status, count(*) AS n FROM installations GROUP BY status",
    )) {
      counts[row.status] = row.n;
    }
    return counts;
  }

  getMeta(key: string): string | undefined {
    return this.#sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value;
  }

  setMeta(key: string, value: string): void {
    this.#sql.exec(
      "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
      key,
      value,
    );
  }

  deleteMeta(key: string): void {
    this.#sql.exec("DELETE FROM meta WHERE key = ?", key);
  }

  increment(key: string, by = 1): void {
    this.#sql.exec(
      "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + ?2",
      key,
      by,
    );
  }

  counter(key: string): number {
    return Number(this.getMeta(key) ?? 0);
  }
}
