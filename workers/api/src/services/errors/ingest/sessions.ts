// Sentry's release-health items (develop.sentry.dev/sdk/telemetry/sessions): `session` (one session's
// update, from client-mode SDKs: Electron, browsers, mobile) and `sessions` (pre-aggregated counts
// per minute, from server-mode SDKs). Like Sentry's Relay, updates without a release, or with a
// status or time that cannot be read, are dropped rather than refusing the envelope. Pure.
import {
  type ErrorSessionAggregates,
  ErrorSessionAggregatesSchema,
  type ErrorSessionUpdate,
  ErrorSessionUpdateSchema,
} from "@nexus/contracts";
import { timeOf } from "./normalize-event.ts";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Aggregates per queue item: a `sessions` item with more is split so each item stays small. */
export const AGGREGATES_PER_ITEM = 200;

const isoOf = (value: unknown): string | null => {
  const ms = timeOf(value);
  return ms === null ? null : new Date(ms).toISOString();
};

const attrsOf = (raw: Json) => {
  const attrs = isObject(raw.attrs) ? raw.attrs : {};
  return {
    release: typeof attrs.release === "string" ? attrs.release.trim() : "",
    environment: typeof attrs.environment === "string" ? attrs.environment : null,
  };
};

const distinctId = (value: unknown) =>
  typeof value === "string" || typeof value === "number" ? String(value).slice(0, 256) : null;

export function normalizeSession(raw: Json, receivedAt: number): ErrorSessionUpdate | null {
  const { release, environment } = attrsOf(raw);
  const started = isoOf(raw.started);
  if (!release || !started) return null;
  const result = ErrorSessionUpdateSchema.safeParse({
    sid: raw.sid,
    did: distinctId(raw.did),
    init: raw.init === true,
    started,
    timestamp: isoOf(raw.timestamp) ?? new Date(receivedAt).toISOString(),
    status: raw.status ?? "ok",
    errors: typeof raw.errors === "number" && raw.errors > 0 ? Math.trunc(raw.errors) : 0,
    release,
    environment: environment?.slice(0, 64) ?? null,
  });
  return result.success ? result.data : null;
}

const count = (value: unknown) => (typeof value === "number" && value > 0 ? Math.trunc(value) : 0);

/** A `sessions` item, split into parts of at most AGGREGATES_PER_ITEM buckets; none without a release. */
export function normalizeAggregates(raw: Json): ErrorSessionAggregates[] {
  const { release, environment } = attrsOf(raw);
  if (!release || !Array.isArray(raw.aggregates)) return [];
  const buckets = raw.aggregates.flatMap((bucket: unknown) => {
    if (!isObject(bucket)) return [];
    const started = isoOf(bucket.started);
    if (!started) return [];
    return [
      {
        started,
        did: distinctId(bucket.did),
        exited: count(bucket.exited),
        errored: count(bucket.errored),
        abnormal: count(bucket.abnormal),
        crashed: count(bucket.crashed),
      },
    ];
  });
  const parts: ErrorSessionAggregates[] = [];
  for (let i = 0; i < buckets.length; i += AGGREGATES_PER_ITEM) {
    const result = ErrorSessionAggregatesSchema.safeParse({
      release,
      environment: environment?.slice(0, 64) ?? null,
      aggregates: buckets.slice(i, i + AGGREGATES_PER_ITEM),
    });
    if (result.success) parts.push(result.data);
  }
  return parts;
}
