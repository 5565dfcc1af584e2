// Update checks and downloads counted by the CompanyHub per release and UTC day, and copied to the
// central `update_stats` table by the alarm — the feed never writes D1. Also the open download
// sessions: the ranged requests of one differential download are one download.

export type UpdateEvent = "check" | "download" | "range";

/** How long after its last request a differential download still counts as the same download. */
export const DOWNLOAD_SESSION_MS = 30 * 60 * 1000;

const COLUMN: Record<UpdateEvent, "checks" | "downloads" | "range_requests"> = {
  check: "checks",
  download: "downloads",
  range: "range_requests",
};

const DAY_MS = 86_400_000;

type CountRow = {
  release_id: string;
  day: string;
  checks: number;
  downloads: number;
  range_requests: number;
};

export class HubUpdateCounts {
  readonly #sql: SqlStorage;
  // Counts since the last save, per release and day. A storage write per check cost the feed a
  // write per request, so counts are written behind like heartbeats (hub-heartbeats.ts): to the
  // hub's storage at every alarm, just before the flush to D1. A restart loses at most one interval.
  readonly #unsaved = new Map<string, CountRow>();
  // The UTC day of the last count, so a check does not format a date.
  #day = { start: 0, name: "" };

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS update_counts (
      release_id TEXT NOT NULL,
      day TEXT NOT NULL,
      checks INTEGER NOT NULL DEFAULT 0,
      downloads INTEGER NOT NULL DEFAULT 0,
      range_requests INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (release_id, day)
    )`);
    this.#sql.exec(
      "CREATE TABLE IF NOT EXISTS download_sessions (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)",
    );
  }

  /** Whether `key` (installation and release) has a download under way; touching it extends it. */
  inSession(key: string, now: number): boolean {
    const open =
      this.#sql
        .exec<{ n: number }>(
          "SELECT count(*) AS n FROM download_sessions WHERE key = ? AND expires_at > ?",
          key,
          now,
        )
        .one().n > 0;
    if (open) this.openSession(key, now);
    return open;
  }

  openSession(key: string, now: number): void {
    this.#sql.exec(
      `INSERT INTO download_sessions (key, expires_at) VALUES (?1, ?2)
       ON CONFLICT (key) DO UPDATE SET expires_at = ?2`,
      key,
      now + DOWNLOAD_SESSION_MS,
    );
  }

  purgeSessions(now = Date.now()): void {
    this.#sql.exec("DELETE FROM download_sessions WHERE expires_at <= ?", now);
  }

  add(releaseId: string, event: UpdateEvent, now = Date.now()): void {
    const day = this.#dayOf(now);
    const key = `${releaseId} ${day}`;
    let row = this.#unsaved.get(key);
    if (!row) {
      row = { release_id: releaseId, day, checks: 0, downloads: 0, range_requests: 0 };
      this.#unsaved.set(key, row);
    }
    row[COLUMN[event]] += 1;
  }

  #dayOf(now: number): string {
    const start = now - (now % DAY_MS);
    if (start !== this.#day.start) this.#day = { start, name: new Date(start).toISOString().slice(0, 10) };
    return this.#day.name;
  }

  /** Adds the counts held in memory to the hub's storage. */
  save(): void {
    for (const row of this.#unsaved.values()) {
      this.#sql.exec(
        `INSERT INTO update_counts (release_id, day, checks, downloads, range_requests) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (release_id, day) DO UPDATE SET checks = checks + ?3, downloads = downloads + ?4,
           range_requests = range_requests + ?5`,
        row.release_id,
        row.day,
        row.checks,
        row.downloads,
        row.range_requests,
      );
    }
    this.#unsaved.clear();
  }

  pending(): number {
    return (
      this.#unsaved.size + this.#sql.exec<{ n: number }>("SELECT count(*) AS n FROM update_counts").one().n
    );
  }

  /**
   * One statement adding every pending count to D1; the local rows go once it succeeded. Counts
   * taken while D1 answers stay in memory for the next flush.
   */
  async flush(db: D1Database, companyId: string): Promise<boolean> {
    this.save();
    const rows = this.#sql.exec<CountRow>("SELECT * FROM update_counts").toArray();
    if (rows.length === 0) return false;
    // SQL, not drizzle: every count rides in one bound JSON array (json_each), as D1 caps a
    // statement's bound parameters at 100, and the INSERT … SELECT skips releases deleted since they
    // were counted; drizzle's insert binds each value and cannot filter its rows.
    await db
      .prepare(
        `INSERT INTO update_stats (company_id, release_id, day, checks, downloads, range_requests)
         SELECT ?1, j.value ->> 'release_id', j.value ->> 'day', j.value ->> 'checks', j.value ->> 'downloads', j.value ->> 'range_requests'
         FROM json_each(?2) AS j WHERE j.value ->> 'release_id' IN (SELECT id FROM releases)
         ON CONFLICT (company_id, release_id, day) DO UPDATE SET checks = checks + excluded.checks,
           downloads = downloads + excluded.downloads, range_requests = range_requests + excluded.range_requests`,
      )
      .bind(companyId, JSON.stringify(rows))
      .run();
    // Counts added while D1 answered stay for the next flush (only the flushed amounts are taken off).
    for (const row of rows) {
      this.#sql.exec(
        `UPDATE update_counts SET checks = checks - ?3, downloads = downloads - ?4, range_requests = range_requests - ?5
         WHERE release_id = ?1 AND day = ?2`,
        row.release_id,
        row.day,
        row.checks,
        row.downloads,
        row.range_requests,
      );
    }
    this.#sql.exec("DELETE FROM update_counts WHERE checks = 0 AND downloads = 0 AND range_requests = 0");
    return true;
  }
}
