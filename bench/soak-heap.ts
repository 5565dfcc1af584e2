// The soak's leak signal: the JS heap of our workers' isolates right after a forced full garbage
// collection, read through workerd's inspector (the DevTools protocol, bench/profile.ts). Each
// isolate grows its heap until V8 decides on a major collection, so between collections workerd's
// RSS climbs with garbage. What a full collection leaves alive is what code still references: if
// that is flat, RSS growth is garbage or native memory (SQLite page caches, malloc) and not a leak.
import { InspectorSession } from "./profile.ts";

export interface HeapReading {
  /** The worker's name. */
  isolate: string;
  /** Bytes live after the collection. */
  usedBytes: number;
}

/** One answer of the inspector, or null after `ms` (a session taken over by a DevTools window). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const ANSWER_MS = 5_000;

export class HeapProbe {
  readonly #sessions: { worker: string; session: InspectorSession }[];

  private constructor(sessions: { worker: string; session: InspectorSession }[]) {
    this.#sessions = sessions;
  }

  /**
   * One session per worker, held for the run. Our workers only: workerd answered only some of its
   * ~20 isolates (Miniflare's D1, queue, R2 and cache isolates) within seconds while under load.
   */
  static async open(inspectorPort: number, workers: readonly string[]): Promise<HeapProbe> {
    const sessions: { worker: string; session: InspectorSession }[] = [];
    try {
      for (const worker of workers) {
        sessions.push({ worker, session: await InspectorSession.open(inspectorPort, worker) });
      }
    } catch (error) {
      for (const { session } of sessions) session.close();
      throw error;
    }
    return new HeapProbe(sessions);
  }

  /** A full collection in each isolate, then its live heap; a worker that does not answer is left out. */
  async read(): Promise<HeapReading[]> {
    const readings: HeapReading[] = [];
    for (const { worker, session } of this.#sessions) {
      if ((await within(session.send("HeapProfiler.collectGarbage"), ANSWER_MS)) === null) continue;
      const usage = await within(
        session.send<{ usedSize?: number } | undefined>("Runtime.getHeapUsage"),
        ANSWER_MS,
      );
      if (usage?.usedSize !== undefined) readings.push({ isolate: worker, usedBytes: usage.usedSize });
    }
    return readings;
  }

  close(): void {
    for (const { session } of this.#sessions) session.close();
  }
}
