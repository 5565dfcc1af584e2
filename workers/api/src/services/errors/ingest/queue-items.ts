// What the queue gets from an envelope (or a store request): its events normalised and its session
// updates, each item read from its payload; every other item type (attachments, transactions, client
// reports, replays, profiles, check-ins, logs…) is accepted and dropped, as the product has no use
// for them. Pure.
import { ERROR_INGEST_LIMITS, type ErrorEventData, type ErrorQueueItem } from "@nexus/contracts";
import { ApiError } from "../../../lib/errors.ts";
import { type Envelope, jsonObject } from "./envelope.ts";
import { type EventContext, normalizeEvent } from "./normalize-event.ts";
import { normalizeAggregates, normalizeSession } from "./sessions.ts";

export interface QueueItems {
  items: ErrorQueueItem[];
  /** The first event's id: Sentry's answer. */
  eventId: string | null;
}

export function eventTooLarge(what: string): ApiError {
  const limit = ERROR_INGEST_LIMITS.maxEventBytes;
  return new ApiError("PAYLOAD_TOO_LARGE", `The ${what} is larger than ${limit} bytes.`, {
    limit_bytes: limit,
  });
}

export function envelopeItems(envelope: Envelope, context: EventContext): QueueItems {
  const items: ErrorQueueItem[] = [];
  let eventId: string | null = null;
  for (const [index, item] of envelope.items.entries()) {
    const what = `${item.type} item (item ${index + 1})`;
    if (item.type === "event") {
      if (item.payload.byteLength > ERROR_INGEST_LIMITS.maxEventBytes) throw eventTooLarge(what);
      const event: ErrorEventData = normalizeEvent(jsonObject(item.payload, what), context);
      eventId ??= event.event_id;
      items.push({ type: "event", event });
    } else if (item.type === "session") {
      const session = normalizeSession(jsonObject(item.payload, what), context.receivedAt);
      if (session) items.push({ type: "session", session });
    } else if (item.type === "sessions") {
      for (const sessions of normalizeAggregates(jsonObject(item.payload, what))) {
        items.push({ type: "sessions", sessions });
      }
    }
    if (items.length > ERROR_INGEST_LIMITS.maxQueueItems) {
      throw new ApiError(
        "PAYLOAD_TOO_LARGE",
        `An envelope may hold at most ${ERROR_INGEST_LIMITS.maxQueueItems} events and session updates.`,
        { limit_items: ERROR_INGEST_LIMITS.maxQueueItems },
      );
    }
  }
  return { items, eventId };
}
