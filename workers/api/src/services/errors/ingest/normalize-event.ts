// A Sentry event as SDKs send it (develop.sentry.dev/sdk/data-model/event-payloads) → ErrorEventData,
// the bounded shape the queue carries and error_events keeps. SDKs differ in what they send and in
// which of Sentry's aliases they use, so every field is read defensively and cut to the schema's
// bounds; what cannot be read is left out rather than refusing the event. Pure.
import type {
  ErrorBreadcrumb,
  ErrorEventData,
  ErrorException,
  ErrorLevel,
  ErrorStackFrame,
} from "@nexus/contracts";

type Json = Record<string, unknown>;

export interface EventContext {
  /** When the envelope arrived (ms): the event's time when it brings none. */
  receivedAt: number;
  /** The caller's IP, for `user.ip_address: "{{auto}}"`. */
  clientIp: string | null;
  /** The envelope header's `event_id`, used when the event has none. */
  fallbackEventId?: unknown;
}

const MAX_FRAMES = 250;
const MAX_EXCEPTIONS = 10;
const MAX_BREADCRUMBS = 100;
const MAX_TAGS = 100;
const MAX_CONTEXT_LINES = 10;
/** contexts, extra and a breadcrumb's data: kept while their JSON stays under this. */
const MAX_RECORD_BYTES = 16 * 1024;
const MAX_BREADCRUMB_DATA_BYTES = 2 * 1024;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A string field cut to `max`; numbers and booleans are written out, anything else is absent. */
function text(value: unknown, max: number): string | null {
  if (typeof value === "string") return value.slice(0, max);
  if (typeof value === "number" || typeof value === "boolean") return String(value).slice(0, max);
  return null;
}

const int = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : null;

/** Sentry lists come as `{ values: [...] }` (the protocol) or as a bare array (older SDKs). */
function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value) && Array.isArray(value.values)) return value.values;
  return [];
}

/** An event id: 32 hex digits, from a UUID with or without dashes, in any case. */
export function eventIdOf(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const id = value.replace(/-/g, "").toLowerCase();
  return /^[0-9a-f]{32}$/.test(id) ? id : null;
}

export const newEventId = () => crypto.randomUUID().replace(/-/g, "");

/** Seconds since the epoch (a number or numeric string, as SDKs send) or an ISO date → ms. */
export function timeOf(value: unknown): number | null {
  let ms: number | null = null;
  if (typeof value === "number") ms = value * 1000;
  else if (typeof value === "string" && value.trim() !== "") {
    const numeric = Number(value);
    // A date without a zone is UTC in Sentry's protocol.
    const iso = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
    ms = Number.isFinite(numeric) ? numeric * 1000 : Date.parse(iso);
  }
  // Between 1970 and 9999: anything else is not a time and would not make an ISO string.
  return ms !== null && Number.isFinite(ms) && ms >= 0 && ms < 253_402_300_800_000 ? ms : null;
}

const LEVEL_ALIASES: Record<string, ErrorLevel> = {
  fatal: "fatal",
  critical: "fatal",
  error: "error",
  warning: "warning",
  warn: "warning",
  info: "info",
  log: "info",
  debug: "debug",
};

function levelOf(value: unknown): ErrorLevel {
  return (typeof value === "string" && LEVEL_ALIASES[value.toLowerCase()]) || "error";
}

/** A JSON-able record kept key by key while it stays under `maxBytes`. */
function boundedRecord(value: unknown, maxBytes: number): Json | null {
  if (!isObject(value)) return null;
  const kept: Json = {};
  let size = 2;
  for (const [key, entry] of Object.entries(value)) {
    let encoded: string | undefined;
    try {
      encoded = JSON.stringify(entry);
    } catch {
      continue;
    }
    if (encoded === undefined) continue;
    const entrySize = key.length + encoded.length + 4;
    if (size + entrySize > maxBytes) continue;
    kept[key] = JSON.parse(encoded) as unknown;
    size += entrySize;
  }
  return Object.keys(kept).length > 0 ? kept : null;
}

function contextLines(value: unknown, keep: "first" | "last"): string[] | null {
  if (!Array.isArray(value)) return null;
  const lines = value.map((line) => text(line, 1024) ?? "");
  return keep === "first" ? lines.slice(0, MAX_CONTEXT_LINES) : lines.slice(-MAX_CONTEXT_LINES);
}

function frameOf(raw: unknown): ErrorStackFrame | null {
  if (!isObject(raw)) return null;
  return {
    function: text(raw.function, 512),
    module: text(raw.module, 512),
    filename: text(raw.filename, 1024),
    abs_path: text(raw.abs_path, 2048),
    lineno: int(raw.lineno),
    colno: int(raw.colno),
    in_app: typeof raw.in_app === "boolean" ? raw.in_app : null,
    context_line: text(raw.context_line, 1024),
    pre_context: contextLines(raw.pre_context, "last"),
    post_context: contextLines(raw.post_context, "first"),
  };
}

function exceptionOf(raw: unknown): ErrorException | null {
  if (!isObject(raw)) return null;
  const stacktrace = isObject(raw.stacktrace)
    ? raw.stacktrace
    : isObject(raw.raw_stacktrace)
      ? raw.raw_stacktrace
      : {};
  const frames = Array.isArray(stacktrace.frames) ? stacktrace.frames : [];
  const mechanism = isObject(raw.mechanism)
    ? {
        type: text(raw.mechanism.type, 128),
        handled: typeof raw.mechanism.handled === "boolean" ? raw.mechanism.handled : null,
      }
    : null;
  return {
    type: text(raw.type, 256),
    value: text(raw.value, 8192),
    module: text(raw.module, 512),
    mechanism,
    // Innermost last: a deep recursion keeps the frames where it failed.
    frames: frames
      .slice(-MAX_FRAMES)
      .map(frameOf)
      .filter((frame): frame is ErrorStackFrame => frame !== null),
  };
}

function breadcrumbOf(raw: unknown): ErrorBreadcrumb | null {
  if (!isObject(raw)) return null;
  const ms = timeOf(raw.timestamp);
  return {
    timestamp: ms === null ? null : ms / 1000,
    type: text(raw.type, 64),
    category: text(raw.category, 256),
    message: text(raw.message, 8192),
    level: text(raw.level, 32),
    data: boundedRecord(raw.data, MAX_BREADCRUMB_DATA_BYTES),
  };
}

/** Tags as SDKs send them (`{k: v}` or `[[k, v]]`), with every value written out as a string. */
function tagsOf(raw: unknown): Record<string, string> {
  const pairs = Array.isArray(raw)
    ? raw
        .filter((pair): pair is unknown[] => Array.isArray(pair) && pair.length === 2)
        .map(([k, v]) => [k, v])
    : isObject(raw)
      ? Object.entries(raw)
      : [];
  const tags: Record<string, string> = {};
  for (const [key, value] of pairs.slice(0, MAX_TAGS)) {
    const name = text(key, 200);
    if (!name || value === null || value === undefined) continue;
    tags[name] = (text(value, 200) ?? JSON.stringify(value) ?? "").slice(0, 200);
  }
  return tags;
}

/** `logentry` (or the older `message` object) with its `%s` placeholders filled from `params`. */
function messageOf(raw: Json): string | null {
  const entry = isObject(raw.logentry) ? raw.logentry : isObject(raw.message) ? raw.message : null;
  if (entry) {
    const formatted = text(entry.formatted, 8192);
    if (formatted) return formatted;
    const template = text(entry.message, 8192);
    if (template === null) return null;
    const params = Array.isArray(entry.params) ? [...entry.params] : [];
    return template.replace(/%s/g, () => (params.length > 0 ? String(params.shift()) : "%s")).slice(0, 8192);
  }
  return text(raw.message, 8192);
}

function userOf(raw: unknown, clientIp: string | null): ErrorEventData["user"] {
  if (!isObject(raw)) return null;
  const ip = raw.ip_address === "{{auto}}" ? clientIp : text(raw.ip_address, 64);
  const user = {
    id: text(raw.id, 256),
    email: text(raw.email, 256),
    username: text(raw.username, 256),
    ip_address: ip?.slice(0, 64) ?? null,
  };
  return Object.values(user).some((value) => value !== null) ? user : null;
}

function sdkOf(raw: unknown): ErrorEventData["sdk"] {
  if (!isObject(raw)) return null;
  const name = text(raw.name, 128);
  const version = text(raw.version, 64);
  return name && version ? { name, version } : null;
}

function fingerprintOf(raw: unknown): string[] | null {
  if (!Array.isArray(raw)) return null;
  const parts = raw
    .map((part) => text(part, 256))
    .filter((part): part is string => part !== null)
    .slice(0, 20);
  return parts.length > 0 ? parts : null;
}

/**
 * SDKs with `attachStacktrace` (@sentry/node's default) send captureMessage's stack as an exception
 * marked `mechanism.synthetic`: it is a message event, titled and grouped by its message.
 */
const isSynthetic = (raw: unknown) =>
  isObject(raw) && isObject(raw.mechanism) && raw.mechanism.synthetic === true;

export function normalizeEvent(raw: Json, context: EventContext): ErrorEventData {
  const ms = timeOf(raw.timestamp) ?? context.receivedAt;
  const exceptions = list(raw.exception);
  const synthetic = exceptions.find(isSynthetic);
  return {
    event_id: eventIdOf(raw.event_id) ?? eventIdOf(context.fallbackEventId) ?? newEventId(),
    timestamp: new Date(ms).toISOString(),
    platform: text(raw.platform, 64) || "other",
    level: levelOf(raw.level),
    logger: text(raw.logger, 256),
    transaction: text(raw.transaction, 512) ?? text(raw.culprit, 512),
    server_name: text(raw.server_name, 256),
    release: text(raw.release, 200),
    dist: text(raw.dist, 64),
    environment: text(raw.environment, 64),
    message: messageOf(raw) ?? (isObject(synthetic) ? text(synthetic.value, 8192) : null),
    // Outermost last: a long chain keeps the exception the app saw.
    exceptions: exceptions
      .filter((exception) => !isSynthetic(exception))
      .slice(-MAX_EXCEPTIONS)
      .map(exceptionOf)
      .filter((exception): exception is ErrorException => exception !== null),
    breadcrumbs: list(raw.breadcrumbs)
      .slice(-MAX_BREADCRUMBS)
      .map(breadcrumbOf)
      .filter((crumb): crumb is ErrorBreadcrumb => crumb !== null),
    tags: tagsOf(raw.tags),
    user: userOf(raw.user, context.clientIp),
    contexts: boundedRecord(raw.contexts, MAX_RECORD_BYTES),
    sdk: sdkOf(raw.sdk),
    fingerprint: fingerprintOf(raw.fingerprint),
    extra: boundedRecord(raw.extra, MAX_RECORD_BYTES),
  };
}

const sizeOf = (event: ErrorEventData) => new TextEncoder().encode(JSON.stringify(event)).byteLength;

const mapFrames = (event: ErrorEventData, change: (frames: ErrorStackFrame[]) => ErrorStackFrame[]) => ({
  ...event,
  exceptions: event.exceptions.map((exception) => ({ ...exception, frames: change(exception.frames) })),
});

/**
 * Shrinks an event until its JSON fits `maxBytes` (a queue message is at most 128 KB), dropping
 * first what the issue pages need least: extra data, contexts, old breadcrumbs, context lines,
 * then outer frames and long texts.
 */
export function fitEvent(event: ErrorEventData, maxBytes: number): ErrorEventData {
  const steps: ((e: ErrorEventData) => ErrorEventData)[] = [
    (e) => ({ ...e, extra: null }),
    (e) => ({ ...e, contexts: null }),
    (e) => ({ ...e, breadcrumbs: e.breadcrumbs.slice(-20).map((crumb) => ({ ...crumb, data: null })) }),
    (e) => mapFrames(e, (frames) => frames.map((f) => ({ ...f, pre_context: null, post_context: null }))),
    (e) => ({ ...e, breadcrumbs: [] }),
    (e) => mapFrames(e, (frames) => frames.slice(-50).map((f) => ({ ...f, context_line: null }))),
    (e) => ({
      ...e,
      message: e.message?.slice(0, 1024) ?? null,
      exceptions: e.exceptions.slice(-3).map((x) => ({ ...x, value: x.value?.slice(0, 1024) ?? null })),
    }),
    (e) => mapFrames(e, (frames) => frames.slice(-10)),
    (e) => ({
      ...mapFrames(e, (frames) =>
        frames.map((f) => ({
          function: f.function?.slice(0, 256) ?? null,
          filename: f.filename?.slice(0, 256) ?? null,
          lineno: f.lineno ?? null,
          colno: f.colno ?? null,
          in_app: f.in_app ?? null,
        })),
      ),
      tags: Object.fromEntries(Object.entries(e.tags).slice(0, 20)),
    }),
  ];
  let fitted = event;
  for (const step of steps) {
    if (sizeOf(fitted) <= maxBytes) return fitted;
    fitted = step(fitted);
  }
  return fitted;
}
