// Release health from the SDKs' sessions, counted per project, release, environment and the UTC hour
// the session started. A session counts as started on its first update (`init`); its end counts once,
// on the update that carries it: crashed (also errored), abnormal (the app was killed or hung), or
// errored (ended with errors). Pre-aggregated `sessions` items count the same way. The distinct users
// (`did`) are kept per release, with whether one of their sessions crashed.
import type { ErrorSessionAggregates, ErrorSessionUpdate } from "@nexus/contracts";

export const HOUR_MS = 3_600_000;

export interface SessionBucket {
  release: string;
  environment: string;
  hour: number;
  started: number;
  errored: number;
  crashed: number;
  abnormal: number;
}

export interface SessionUser {
  release: string;
  did: string;
  crashed: boolean;
}

export interface SessionCounts {
  buckets: SessionBucket[];
  users: SessionUser[];
  /** Session updates and aggregated sessions received (the ingest statistics' count). */
  received: number;
}

/** The version a release string names: `my-app@1.4.2` and `v1.4.2` are both `1.4.2`. */
export function releaseVersion(release: string): string {
  return release.slice(release.lastIndexOf("@") + 1).replace(/^v/, "");
}

const hourOf = (iso: string, fallback: number) => {
  const ms = Date.parse(iso);
  return Math.floor((Number.isFinite(ms) ? ms : fallback) / HOUR_MS) * HOUR_MS;
};

type Delta = Pick<SessionBucket, "started" | "errored" | "crashed" | "abnormal">;

/** What one update adds: its start when it is the first, and its end when it carries one. */
export function updateDelta(update: ErrorSessionUpdate): Delta {
  const crashed = update.status === "crashed" ? 1 : 0;
  const errored =
    crashed === 1 || update.status === "errored" || (update.status === "exited" && update.errors > 0) ? 1 : 0;
  return {
    started: update.init ? 1 : 0,
    errored,
    crashed,
    abnormal: update.status === "abnormal" ? 1 : 0,
  };
}

/** Counts a message's session items. */
export function countSessions(
  updates: ErrorSessionUpdate[],
  aggregates: ErrorSessionAggregates[],
  receivedAt: number,
): SessionCounts {
  const buckets = new Map<string, SessionBucket>();
  const users = new Map<string, SessionUser>();
  let received = 0;
  const add = (release: string, environment: string, hour: number, delta: Delta) => {
    const key = JSON.stringify([release, environment, hour]);
    const bucket = buckets.get(key) ?? {
      release,
      environment,
      hour,
      started: 0,
      errored: 0,
      crashed: 0,
      abnormal: 0,
    };
    bucket.started += delta.started;
    bucket.errored += delta.errored;
    bucket.crashed += delta.crashed;
    bucket.abnormal += delta.abnormal;
    buckets.set(key, bucket);
  };
  const addUser = (release: string, did: string | null | undefined, crashed: boolean) => {
    if (!did) return;
    const key = JSON.stringify([release, did]);
    const known = users.get(key);
    users.set(key, { release, did, crashed: crashed || (known?.crashed ?? false) });
  };
  for (const update of updates) {
    received += 1;
    const delta = updateDelta(update);
    add(update.release, update.environment ?? "", hourOf(update.started, receivedAt), delta);
    addUser(update.release, update.did, delta.crashed > 0);
  }
  for (const item of aggregates) {
    for (const group of item.aggregates) {
      const total = group.exited + group.errored + group.abnormal + group.crashed;
      received += total;
      add(item.release, item.environment ?? "", hourOf(group.started, receivedAt), {
        started: total,
        errored: group.errored + group.crashed,
        crashed: group.crashed,
        abnormal: group.abnormal,
      });
      addUser(item.release, group.did, group.crashed > 0);
    }
  }
  // Buckets that count nothing (an `ok` update of a running session) write nothing.
  const counted = [...buckets.values()].filter(
    (bucket) => bucket.started + bucket.errored + bucket.crashed + bucket.abnormal > 0,
  );
  return { buckets: counted, users: [...users.values()], received };
}
