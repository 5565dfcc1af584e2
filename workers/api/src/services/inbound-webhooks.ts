// Signature checks for inbound webhooks, one per sender scheme, over the raw body and before any
// parsing. Each returns the event id, the key that makes a replay a no-op, taken from signed content
// only: a header the signature does not cover (X-GitHub-Delivery, Twilio's idempotency token) can be
// changed by whoever replays a captured request. All comparisons are constant-time; failures say what
// to check without hinting at the expected value. Then `receiveInbound` keeps the event and queues it.
import {
  type EventsQueueMessage,
  INBOUND_RETRY_FIRST_MS,
  INBOUND_RETRY_MAX_MS,
  type InboundWebhookEvent,
  type InboundWebhookState,
} from "@nexus/contracts";
import { inboundWebhookEvents } from "@nexus/db/central";
import { anyEqual, base64, hex, hmac, sha256Hex, verifyStandardWebhook } from "@nexus/security";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv, CentralDb, Config } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { auditStatement } from "./audit.ts";
import { listPage, type PageRequest } from "./list-page.ts";

/** Stripe's default tolerance: a signed timestamp older (or newer) than this is refused. */
export const STRIPE_TOLERANCE_SECONDS = 300;

export interface InboundRequest {
  /** The URL the sender called (Twilio signs it). */
  url: string;
  headers: Headers;
  body: string;
}

export interface VerifiedInbound {
  /** The replay key: the sender's signed event id, or a hash of what the signature covers. */
  eventId: string;
  /** The sender's unsigned request id, kept for operators to correlate; never the replay key. */
  senderEventId: string | null;
  eventType: string | null;
}

type Verifier = (request: InboundRequest, nowSeconds: number) => Promise<VerifiedInbound>;

function invalid(message: string): ApiError {
  return new ApiError("WEBHOOK_SIGNATURE_INVALID", message);
}

/** The body as JSON after its signature was checked; a signed body that is not JSON is a 400. */
function signedJson(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through
  }
  throw new ApiError("VALIDATION_FAILED", "The webhook body is not a JSON object.");
}

const stringField = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : null);

/** `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`: HMAC-SHA256 of `${t}.${body}`. */
function stripe(secrets: string[]): Verifier {
  return async ({ headers, body }, nowSeconds) => {
    const header = headers.get("stripe-signature") ?? "";
    const parts = header.split(",").map((part) => part.trim().split("="));
    const timestamp = parts.find(([key]) => key === "t")?.[1] ?? "";
    const given = parts.filter(([key]) => key === "v1").map(([, value]) => value ?? "");
    if (!/^\d{1,12}$/.test(timestamp) || given.length === 0) {
      throw invalid("Stripe-Signature is missing or has no t= and v1= parts.");
    }
    if (Math.abs(nowSeconds - Number(timestamp)) > STRIPE_TOLERANCE_SECONDS) {
      throw invalid("The Stripe-Signature timestamp is more than 5 minutes off; the event may be a replay.");
    }
    let matched = false;
    for (const secret of secrets) {
      if (anyEqual(given, hex(await hmac(secret, `${timestamp}.${body}`)))) matched = true;
    }
    if (!matched) throw invalid("No v1 signature matches STRIPE_WEBHOOK_SECRET.");
    const event = signedJson(body);
    const eventId = stringField(event.id);
    if (!eventId) throw new ApiError("VALIDATION_FAILED", "The Stripe event has no id.");
    return { eventId, senderEventId: null, eventType: stringField(event.type) };
  };
}

/**
 * `X-Hub-Signature-256: sha256=<hex>` of the body. The signature covers the body alone, so the body's
 * hash is the event id (GitHub's own redelivery sends the same body); `X-GitHub-Delivery` and
 * `X-GitHub-Event` are unsigned and only kept for operators.
 */
function github(secret: string): Verifier {
  return async ({ headers, body }) => {
    const header = headers.get("x-hub-signature-256") ?? "";
    if (!header.startsWith("sha256=")) throw invalid("X-Hub-Signature-256 is missing.");
    if (!anyEqual([header.slice(7)], hex(await hmac(secret, body)))) {
      throw invalid("X-Hub-Signature-256 does not match GITHUB_WEBHOOK_SECRET.");
    }
    return {
      eventId: `sha256:${await sha256Hex(body)}`,
      senderEventId: headers.get("x-github-delivery")?.slice(0, 200) ?? null,
      eventType: headers.get("x-github-event")?.slice(0, 100) ?? null,
    };
  };
}

/** The URL with its default port added, or removed if present: Twilio may have signed either. */
function portVariants(url: string): string[] {
  const parsed = new URL(url);
  const defaultPort = parsed.protocol === "https:" ? "443" : "80";
  const withPort = `${parsed.protocol}//${parsed.hostname}:${parsed.port || defaultPort}${parsed.pathname}${parsed.search}`;
  const withoutPort = `${parsed.protocol}//${parsed.hostname}${parsed.port && parsed.port !== defaultPort ? `:${parsed.port}` : ""}${parsed.pathname}${parsed.search}`;
  return [url, withPort, withoutPort];
}

/**
 * `X-Twilio-Signature`: base64 HMAC-SHA1 of the URL followed by the form parameters sorted by name
 * (name then value, concatenated). JSON bodies are signed over the URL alone, which carries a
 * `bodySHA256` parameter with the body's hash.
 */
function twilio(authToken: string): Verifier {
  return async ({ url, headers, body }) => {
    const given = headers.get("x-twilio-signature");
    if (!given) throw invalid("X-Twilio-Signature is missing.");
    const bodyHash = new URL(url).searchParams.get("bodySHA256");
    const params = bodyHash === null ? [...new URLSearchParams(body)] : [];
    if (bodyHash !== null && !anyEqual([bodyHash], await sha256Hex(body))) {
      throw invalid("bodySHA256 does not match the body.");
    }
    const signedParams = params
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => key + value)
      .join("");
    const expected = await Promise.all(
      portVariants(url).map(async (variant) =>
        base64(await hmac(authToken, variant + signedParams, "SHA-1")),
      ),
    );
    const matched = expected.map((candidate) => anyEqual([given], candidate)).includes(true);
    if (!matched) throw invalid("X-Twilio-Signature does not match TWILIO_AUTH_TOKEN and this URL.");
    // The replay key is the string the signature covers (URL and sorted parameters), not the unsigned
    // idempotency token nor the raw body: parameters may be reordered or re-encoded without breaking
    // the signature, and each such variant must still be the same event.
    const type = params.find(([key]) => key === "MessageStatus" || key === "CallStatus")?.[1] ?? null;
    return {
      eventId: `sha256:${await sha256Hex(url + signedParams)}`,
      senderEventId: headers.get("i-twilio-idempotency-token")?.slice(0, 200) ?? null,
      eventType: type,
    };
  };
}

/** Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`. */
function standard(secrets: string[]): Verifier {
  return async ({ headers, body }, nowSeconds) => {
    const id = headers.get("webhook-id") ?? undefined;
    const verdict = await verifyStandardWebhook(
      secrets,
      {
        id,
        timestamp: headers.get("webhook-timestamp") ?? undefined,
        signature: headers.get("webhook-signature") ?? undefined,
      },
      body,
      nowSeconds,
    );
    if (!verdict.ok || !id)
      throw invalid(`Standard Webhooks signature refused: ${verdict.ok ? "no id" : verdict.reason}.`);
    let eventType: string | null = null;
    try {
      eventType = stringField((JSON.parse(body) as { type?: unknown }).type);
    } catch {
      // Standard Webhooks bodies are usually JSON with a `type`, but the scheme does not require it.
    }
    return { eventId: id.slice(0, 200), senderEventId: null, eventType };
  };
}

/** The verifier for `provider` under this deployment's config, or null if it is not configured. */
export function inboundVerifier(config: Config, provider: string): Verifier | null {
  switch (provider) {
    case "stripe":
      return config.STRIPE_WEBHOOK_SECRET ? stripe(config.STRIPE_WEBHOOK_SECRET.split(",")) : null;
    case "github":
      return config.GITHUB_WEBHOOK_SECRET ? github(config.GITHUB_WEBHOOK_SECRET) : null;
    case "twilio":
      return config.TWILIO_AUTH_TOKEN ? twilio(config.TWILIO_AUTH_TOKEN) : null;
    default: {
      const secrets = Object.hasOwn(config.WEBHOOK_SENDERS, provider)
        ? config.WEBHOOK_SENDERS[provider]
        : undefined;
      return secrets ? standard(secrets) : null;
    }
  }
}

/** A just-received event is on its way to the queue; the sweeper leaves it alone this long. */
const RECEIVE_GRACE_MS = 60_000;

export interface InboundReceipt {
  /** true: seen before and processed or on its way; nothing was done for this request. */
  duplicate: boolean;
  state: InboundWebhookState;
}

type EventKey = { provider: string; eventId: string };

const rowOf = ({ provider, eventId }: EventKey) =>
  and(eq(inboundWebhookEvents.provider, provider), eq(inboundWebhookEvents.eventId, eventId));

/**
 * Puts a stored event on `nexus-events` and records it as queued (unless the consumer already marked
 * it processed). If the queue refuses it, the event stays stored with the error, for the sender's
 * retry or the sweeper, and the sender is asked to retry.
 */
export async function enqueueInbound(db: CentralDb, queue: Queue, key: EventKey): Promise<void> {
  const message: EventsQueueMessage = { kind: "inbound", provider: key.provider, event_id: key.eventId };
  try {
    await queue.send(message);
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        event: "inbound_enqueue_failed",
        provider: key.provider,
        error: String(error),
      }),
    );
    // Best effort: the row (and so the event) is kept whether or not this note lands.
    await db
      .update(inboundWebhookEvents)
      .set({ lastError: `queueing failed: ${String(error)}`.slice(0, 500) })
      .where(and(rowOf(key), ne(inboundWebhookEvents.state, "processed")))
      .catch(() => undefined);
    throw new ApiError(
      "SERVICE_UNAVAILABLE",
      "The webhook was kept but could not be queued; send it again.",
      {
        action: "retry",
      },
    );
  }
  const now = Date.now();
  await db
    .update(inboundWebhookEvents)
    .set({
      state: "queued",
      // Both in SQL (drizzle has no column arithmetic) so that concurrent queueings count right;
      // nextAttemptAt is inboundRetryDelayMs(attempts + 1) from now.
      attempts: sql`${inboundWebhookEvents.attempts} + 1`,
      nextAttemptAt: sql`${now} + min(${INBOUND_RETRY_FIRST_MS} * (1 << min(${inboundWebhookEvents.attempts}, 16)), ${INBOUND_RETRY_MAX_MS})`,
    })
    .where(and(rowOf(key), ne(inboundWebhookEvents.state, "processed")));
}

/**
 * Keeps a verified event (its body and processing state in one insert) and queues it. An event seen
 * before is a duplicate when it was processed or is on its way; one that was kept but not processed
 * (the queue refused it, the consumer gave up, the sweeper marked it failed and its retry time has
 * come) is queued again, so a sender's retry is never swallowed.
 */
export async function receiveInbound(
  db: CentralDb,
  queue: Queue,
  provider: string,
  verified: VerifiedInbound,
  body: string,
): Promise<InboundReceipt> {
  const now = Date.now();
  const key = { provider, eventId: verified.eventId };
  const inserted = await db
    .insert(inboundWebhookEvents)
    .values({
      id: newId(now),
      provider,
      eventId: verified.eventId,
      senderEventId: verified.senderEventId,
      eventType: verified.eventType,
      payload: body,
      receivedAt: new Date(now),
      state: "received",
      attempts: 0,
      nextAttemptAt: new Date(now + RECEIVE_GRACE_MS),
    })
    .onConflictDoNothing()
    .returning({ id: inboundWebhookEvents.id });
  if (inserted.length === 0) {
    const [row] = await db
      .select({ state: inboundWebhookEvents.state, nextAttemptAt: inboundWebhookEvents.nextAttemptAt })
      .from(inboundWebhookEvents)
      .where(rowOf(key))
      .limit(1);
    if (!row) {
      throw new ApiError("SERVICE_UNAVAILABLE", "The webhook could not be recorded; send it again.", {
        action: "retry",
      });
    }
    if (row.state === "processed") return { duplicate: true, state: "processed" };
    // Queued and not yet overdue: in flight (the sweeper takes over if it is lost). The retry time
    // also bounds how often a replayed request can queue an event the consumer keeps failing on.
    const due = row.nextAttemptAt === null || row.nextAttemptAt.getTime() <= now;
    if (row.state !== "received" && !due) return { duplicate: true, state: row.state };
  }
  await enqueueInbound(db, queue, key);
  return { duplicate: false, state: "queued" };
}

// ---- operators' view: every verified event with its state, and a replay -------------------------

const t = inboundWebhookEvents;

/** Every column but the body, which can be a megabyte; its size stands in for it. */
const summaryColumns = {
  id: t.id,
  provider: t.provider,
  eventId: t.eventId,
  senderEventId: t.senderEventId,
  eventType: t.eventType,
  state: t.state,
  attempts: t.attempts,
  nextAttemptAt: t.nextAttemptAt,
  lastError: t.lastError,
  outcome: t.outcome,
  receivedAt: t.receivedAt,
  processedAt: t.processedAt,
  // Raw: drizzle has no byte-length function; SQLite measures the body without sending it here.
  payloadBytes: sql<number>`length(cast(${t.payload} as blob))`,
};

type SummaryRow = Omit<typeof t.$inferSelect, "payload"> & { payloadBytes: number };

export function toInboundEventView(row: SummaryRow): InboundWebhookEvent {
  return {
    id: row.id,
    provider: row.provider,
    event_id: row.eventId,
    sender_event_id: row.senderEventId,
    event_type: row.eventType,
    state: row.state,
    attempts: row.attempts,
    next_attempt_at: row.nextAttemptAt?.toISOString() ?? null,
    last_error: row.lastError,
    outcome: row.outcome,
    received_at: row.receivedAt.toISOString(),
    processed_at: row.processedAt?.toISOString() ?? null,
    payload_bytes: row.payloadBytes,
  };
}

async function inboundEventById(db: CentralDb, id: string): Promise<SummaryRow> {
  const [row] = await db.select(summaryColumns).from(t).where(eq(t.id, id)).limit(1);
  if (!row) throw new ApiError("NOT_FOUND", `No inbound webhook has the id ${id}.`);
  return row;
}

/** One page of received events, newest first. */
export function inboundEventPage(
  db: CentralDb,
  page: PageRequest,
  filters: { provider?: string | undefined; state?: InboundWebhookState | undefined },
) {
  return listPage(
    page,
    t.id,
    [
      filters.provider ? eq(t.provider, filters.provider) : undefined,
      filters.state ? eq(t.state, filters.state) : undefined,
    ],
    ({ where, orderBy, limit }) =>
      db.select(summaryColumns).from(t).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
}

/**
 * Queues an event that was not processed (the sweeper gave up on it, or it is stuck) again, and
 * records who did; a processed event is applied once and refused.
 */
export async function replayInboundEvent(c: Context<AppEnv>, id: string): Promise<SummaryRow> {
  const db = c.get("db");
  const row = await inboundEventById(db, id);
  if (row.state === "processed") {
    throw new ApiError(
      "INBOUND_WEBHOOK_PROCESSED",
      `This ${row.provider} event was processed at ${row.processedAt?.toISOString() ?? "an earlier time"}; it is applied once and cannot be replayed.`,
    );
  }
  await enqueueInbound(db, c.env.EVENTS_QUEUE, { provider: row.provider, eventId: row.eventId });
  await auditStatement(c, {
    companyId: null,
    action: "inbound_webhook.replayed",
    targetType: "inbound_webhook",
    targetId: id,
    details: { provider: row.provider, event_id: row.eventId, state_before: row.state },
  });
  return inboundEventById(db, id);
}
