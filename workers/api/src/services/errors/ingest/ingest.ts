// One ingest request, after its DSN was checked: the project's rate limit, the body read and its
// items read from it (a body that cannot be read is counted as malformed and answered 400), the raw
// body archived when it carried an event, and the items queued for the errors consumer.
import type { ErrorIngestResponse, ErrorQueueItem } from "@nexus/contracts";
import type { Context } from "hono";
import type { AppEnv } from "../../../env.ts";
import { ApiError } from "../../../lib/errors.ts";
import type { SentryKeyCaller } from "../../../middleware/caller.ts";
import { clientIp } from "../../audit.ts";
import { readIngestBody } from "./body.ts";
import { EnvelopeError, jsonObject, parseEnvelope } from "./envelope.ts";
import { type EventContext, normalizeEvent } from "./normalize-event.ts";
import { envelopeItems, type QueueItems } from "./queue-items.ts";
import { queueMessages } from "./queue-messages.ts";
import { limitErrorEvents } from "./rate-limit.ts";
import { rawBodyKey, storeRawBody } from "./raw-bodies.ts";
import { countRefusal } from "./refusal-counts.ts";
import { ENVELOPE_BODY_LIMITS, STORE_BODY_LIMITS } from "./sentry-caller.ts";

export type IngestKind = "envelope" | "store";

function readItems(kind: IngestKind, bytes: Uint8Array, context: EventContext): QueueItems {
  if (kind === "envelope") {
    const envelope = parseEnvelope(bytes);
    return envelopeItems(envelope, { ...context, fallbackEventId: envelope.header.event_id });
  }
  const event = normalizeEvent(jsonObject(bytes, "event"), context);
  return { items: [{ type: "event", event }], eventId: event.event_id };
}

async function archive(c: Context<AppEnv>, store: () => Promise<void>): Promise<void> {
  try {
    await store();
  } catch (error) {
    // The archive is a convenience: the events still go through without it (their raw_key then
    // names no object; this line says which request lost it).
    console.error(
      JSON.stringify({
        level: "warn",
        event: "error_raw_body_not_stored",
        request_id: c.get("requestId"),
        error: String(error),
      }),
    );
  }
}

export async function ingest(
  c: Context<AppEnv>,
  caller: SentryKeyCaller,
  kind: IngestKind,
): Promise<ErrorIngestResponse> {
  const { project } = caller;
  await limitErrorEvents(c, project);
  const receivedAt = Date.now();
  const context: EventContext = { receivedAt, clientIp: clientIp(c) };
  const body = caller.body ?? (await readBody(c, caller, kind));
  let read: QueueItems;
  try {
    read = readItems(kind, body.bytes, context);
  } catch (error) {
    throw await malformed(c, caller, error);
  }
  const answer = read.eventId ? { id: read.eventId } : {};
  if (read.items.length === 0) return answer;
  const hasEvent = read.items.some((item: ErrorQueueItem) => item.type === "event");
  const rawKey = hasEvent ? rawBodyKey(project.companyId, project.id, receivedAt) : null;
  const base = {
    company_id: project.companyId,
    project_id: project.id,
    app: project.app,
    received_at: receivedAt,
    raw_key: rawKey,
  };
  // The archive and the queue are written side by side: the answer waits for the slower, not both.
  await Promise.all([
    rawKey ? archive(c, () => storeRawBody(c.env.ERRORS, rawKey, body)) : undefined,
    ...queueMessages(base, read.items).map((message) =>
      c.env.ERRORS_QUEUE.send(message, { contentType: "json" }),
    ),
  ]);
  return answer;
}

async function readBody(c: Context<AppEnv>, caller: SentryKeyCaller, kind: IngestKind) {
  try {
    return await readIngestBody(c.req.raw, kind === "envelope" ? ENVELOPE_BODY_LIMITS : STORE_BODY_LIMITS);
  } catch (error) {
    throw await malformed(c, caller, error);
  }
}

/** An unreadable body is counted and answered 400; any other error passes through unchanged. */
async function malformed(c: Context<AppEnv>, caller: SentryKeyCaller, error: unknown): Promise<unknown> {
  if (!(error instanceof EnvelopeError)) return error;
  await countRefusal(c.get("db"), caller.project.id, "malformed");
  return new ApiError("ENVELOPE_INVALID", error.message);
}
