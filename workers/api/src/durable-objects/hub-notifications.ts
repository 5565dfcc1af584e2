// Held notifications (quiet hours, digest windows) in the CompanyHub's own storage: message ids with
// the time each may go. The hub's alarm (hub-alarm.ts, which also runs the D1 flush: whichever is
// due first sets it) hands the due ones back to the notifications queue as `release` messages, and
// forgets them only once the queue took them, so a failed send is retried with the alarm's backoff.

export interface HeldNotification {
  id: string;
  /** Epoch ms. */
  until: number;
}

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS held_notifications (message_id TEXT PRIMARY KEY, release_at INTEGER NOT NULL)",
  "CREATE INDEX IF NOT EXISTS held_notifications_release ON held_notifications (release_at)",
];

/** Ids per `release` queue message (well inside the queue's 128 KB) and messages per sendBatch (its limit). */
export const RELEASE_IDS_PER_MESSAGE = 100;
const MESSAGES_PER_BATCH = 100;

export class HubNotifications {
  readonly #sql: SqlStorage;
  readonly #env: Env;

  constructor(sql: SqlStorage, env: Env) {
    this.#sql = sql;
    this.#env = env;
    for (const statement of SCHEMA) this.#sql.exec(statement);
  }

  /** Holds messages until their times; holding one again moves it to its new time. */
  hold(messages: readonly HeldNotification[]): void {
    for (const message of messages) {
      this.#sql.exec(
        "INSERT INTO held_notifications (message_id, release_at) VALUES (?, ?) ON CONFLICT (message_id) DO UPDATE SET release_at = excluded.release_at",
        message.id,
        Math.max(0, Math.floor(message.until)),
      );
    }
  }

  /** When the next held message is due (epoch ms), or null when none is held. */
  nextReleaseAt(): number | null {
    const [row] = this.#sql
      .exec<{ at: number | null }>("SELECT min(release_at) AS at FROM held_notifications")
      .toArray();
    return row?.at ?? null;
  }

  held(): number {
    const [row] = this.#sql.exec<{ n: number }>("SELECT count(*) AS n FROM held_notifications").toArray();
    return row?.n ?? 0;
  }

  /** Sends every due message id to the notifications queue; answers how many went. */
  async releaseDue(companyId: string, now = Date.now()): Promise<number> {
    const due = this.#sql
      .exec<{ message_id: string }>(
        "SELECT message_id FROM held_notifications WHERE release_at <= ? ORDER BY release_at, message_id",
        now,
      )
      .toArray()
      .map((row) => row.message_id);
    for (let start = 0; start < due.length; start += RELEASE_IDS_PER_MESSAGE * MESSAGES_PER_BATCH) {
      const slice = due.slice(start, start + RELEASE_IDS_PER_MESSAGE * MESSAGES_PER_BATCH);
      const messages = [];
      for (let i = 0; i < slice.length; i += RELEASE_IDS_PER_MESSAGE) {
        const ids = slice.slice(i, i + RELEASE_IDS_PER_MESSAGE);
        messages.push({ body: { kind: "release", company_id: companyId, message_ids: ids } });
      }
      await this.#env.NOTIFICATIONS_QUEUE.sendBatch(messages);
      for (const id of slice) this.#sql.exec("DELETE FROM held_notifications WHERE message_id = ?", id);
    }
    return due.length;
  }
}
