// When a CompanyHub's alarm runs: one flush interval after activity, at the time a part asks for
// (held notifications' release: the earliest wins), and after a failed run again with backoff, by
// the hub itself.
import { getConfig } from "../env.ts";
import type { HubRegistry } from "./hub-registry.ts";

// Consecutive failed alarms (hub storage), and the retry delay they earn: 5 s, doubling, at most 10 min.
const ALARM_FAILURES = "alarm_failures";
export const ALARM_RETRY_BASE_MS = 5_000;
export const ALARM_RETRY_MAX_MS = 600_000;
export const alarmRetryDelay = (failures: number) =>
  Math.min(ALARM_RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), ALARM_RETRY_MAX_MS);

export class HubAlarm {
  readonly #storage: DurableObjectStorage;
  readonly #registry: HubRegistry;
  readonly #env: Env;
  #at: number | null = null;
  #running = false;

  constructor(storage: DurableObjectStorage, registry: HubRegistry, env: Env) {
    this.#storage = storage;
    this.#registry = registry;
    this.#env = env;
  }

  /** Makes sure an alarm runs within one flush interval, without moving one that is due sooner. */
  async ensure(): Promise<void> {
    await this.ensureBy(Date.now() + this.#flushMs());
  }

  /**
   * Makes sure an alarm runs by `at` (epoch ms): one due sooner is left alone, a later one (a release
   * hours away) is brought forward. While a failed run waits out its backoff, nothing moves it.
   */
  async ensureBy(at: number): Promise<void> {
    // Setting an alarm while the alarm handler runs would cancel the handler (workerd: "alarm handler
    // canceled with requestScheduledAlarm"); the handler schedules the next one when it ends.
    if (this.#running) return;
    if (this.#at !== null && this.#at > Date.now() && this.#at <= at) return;
    const current = await this.#storage.getAlarm();
    if (current !== null && (current <= at || this.#registry.getMeta(ALARM_FAILURES) !== undefined)) {
      // Pending (possibly due and about to run): leave it.
      this.#at = current > Date.now() ? current : null;
      return;
    }
    this.#at = at;
    await this.#storage.setAlarm(at);
  }

  /**
   * Runs the alarm's `work`. A failure is retried by the hub itself, with backoff: the runtime's own
   * alarm retries are few and then the flush would wait for the next heartbeat, which a company whose
   * apps all went silent never sends (their deaths would never be recorded). After a success, the
   * next alarm is set while `pending()` says there is more to do (one flush interval on), or at
   * `nextDue()` when that is sooner (a held notification's release).
   */
  async run(
    companyId: string,
    work: () => Promise<void>,
    pending: () => boolean,
    nextDue: () => number | null = () => null,
  ): Promise<void> {
    this.#running = true;
    try {
      await work();
    } catch (error) {
      await this.#retry(companyId, error);
      return;
    } finally {
      this.#running = false;
    }
    if (this.#registry.getMeta(ALARM_FAILURES) !== undefined) this.#registry.deleteMeta(ALARM_FAILURES);
    const flushAt = pending() ? Date.now() + this.#flushMs() : null;
    const dueAt = nextDue();
    const next = flushAt === null ? dueAt : dueAt === null ? flushAt : Math.min(flushAt, dueAt);
    if (next !== null) {
      this.#at = next;
      await this.#storage.setAlarm(next);
    }
  }

  async #retry(companyId: string, error: unknown): Promise<void> {
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
    this.#at = Date.now() + delay;
    await this.#storage.setAlarm(this.#at);
  }

  #flushMs(): number {
    return getConfig(this.#env).HEARTBEAT_FLUSH_SECONDS * 1000;
  }
}
