// One delivery attempt per queue message: sign the stored payload in the Standard Webhooks format,
// POST it, log the attempt, and either finish or ask the queue to retry with exponential backoff and
// jitter. After the last attempt the queue moves the message to `nexus-events-dlq`, whose consumer
// marks the delivery failed. An endpoint failing without a single success for days is disabled.
// Each attempt is bounded: the host's DNS answers must be public addresses (checked just before),
// and the exchange has one time limit and reads at most the bytes it logs.
import { WEBHOOK_DELIVERY } from "@nexus/contracts";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@nexus/db/central";
import {
  decryptForCompany,
  type EndpointUrlPolicy,
  endpointUrlProblem,
  type HostResolver,
  resolvedHostProblem,
  signStandardWebhook,
} from "@nexus/security";
import { and, eq, isNotNull, lt, sql } from "drizzle-orm";
import { auditIfPreviousChanged } from "../audit.ts";
import { type Orm, orm } from "../db.ts";
import { type EndpointFailingEnv, reportFailingEndpoint } from "./webhook-endpoint-failing.ts";

export interface DeliveryEnv extends EndpointFailingEnv {
  CENTRAL_DB: D1Database;
  ENCRYPTION_KEYS: string;
  /** `public` (default) or `local`: where deliveries may go (same setting as the API's). */
  WEBHOOK_URL_POLICY?: string;
  /** Seconds before the first retry; ×5 per attempt, at most 12 hours, ±20% jitter. */
  WEBHOOK_RETRY_BASE_SECONDS?: string;
  /** Seconds an attempt may take, from sending to the last body byte read (default 10). */
  WEBHOOK_TIMEOUT_SECONDS?: string;
}

const MAX_DELAY_SECONDS = 12 * 3600; // the queue's longest retry delay
const DAY_MS = 86_400_000;

/** Delay before retry number `attempt` (1 = after the first failure), with ±20% jitter. */
export function retryDelaySeconds(attempt: number, baseSeconds: number, random = Math.random): number {
  const delay = Math.min(baseSeconds * 5 ** (attempt - 1), MAX_DELAY_SECONDS);
  return Math.min(MAX_DELAY_SECONDS, Math.round(delay * (0.8 + 0.4 * random())));
}

export function retryBaseSeconds(env: DeliveryEnv): number {
  const base = Number(env.WEBHOOK_RETRY_BASE_SECONDS ?? 10);
  return Number.isFinite(base) && base >= 0 ? base : 10;
}

interface AttemptResult {
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseBody: string | null;
}

/** done: nothing more to do (delivered, or failed for good); otherwise ask the queue again after the delay. */
export type DeliveryOutcome = { retryDelaySeconds: number } | "done";

async function signingSecrets(env: DeliveryEnv, row: DeliveryRow, now: number): Promise<string[]> {
  const secrets = [await decryptForCompany(env.ENCRYPTION_KEYS, row.companyId, row.encryptedSecret)];
  if (row.previousEncryptedSecret && (row.previousSecretExpiresAt?.getTime() ?? 0) > now) {
    secrets.push(await decryptForCompany(env.ENCRYPTION_KEYS, row.companyId, row.previousEncryptedSecret));
  }
  return secrets;
}

/**
 * Reads at most `maxBytes` of a response body, then cancels the rest: an endpoint answering with an
 * endless or huge body must not hold the worker (or fill its memory) for the other deliveries of the
 * batch. Stops early when `deadline` rejects. A character cut at the limit is dropped, not mangled.
 */
async function readBodyPrefix(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  deadline: Promise<never>,
): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const kept = new Uint8Array(maxBytes);
  let length = 0;
  try {
    while (length < maxBytes) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      const take = value.subarray(0, maxBytes - length);
      kept.set(take, length);
      length += take.length;
    }
  } catch {
    // Timed out or the connection broke mid-body: keep what arrived; the status already decided.
  } finally {
    // Not awaited: cancelling tells the runtime to drop the connection, nothing to wait for.
    reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(kept.subarray(0, length), { stream: true });
}

/** The exchange's time limit: the var in seconds, else the contract's default. */
export function deliveryTimeoutMs(env: DeliveryEnv): number {
  const seconds = Number(env.WEBHOOK_TIMEOUT_SECONDS ?? Number.NaN);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : WEBHOOK_DELIVERY.timeoutMs;
}

async function post(row: DeliveryRow, secrets: string[], timeoutMs: number): Promise<AttemptResult> {
  const started = Date.now();
  const timestamp = Math.floor(started / 1000);
  // One limit for the whole exchange: the answer's headers and the body bytes we read.
  const signal = AbortSignal.timeout(timeoutMs);
  const deadline = new Promise<never>((_, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
  // Handled here too: the timer may fire after the exchange ended, when no race is listening.
  deadline.catch(() => {});
  try {
    const response = await Promise.race([
      fetch(row.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "NexusCentral-Webhooks/1",
          "webhook-id": row.eventId,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": await signStandardWebhook(secrets, {
            id: row.eventId,
            timestamp,
            body: row.payload,
          }),
        },
        body: row.payload,
        // A redirect could lead anywhere (e.g. an internal address); it counts as a failure.
        redirect: "manual",
        signal,
      }),
      deadline,
    ]);
    // The status decides the attempt; the body is only logged, so a slow or endless one is cut off.
    const text = await readBodyPrefix(response.body, WEBHOOK_DELIVERY.maxLoggedResponseBytes, deadline);
    return {
      statusCode: response.status,
      latencyMs: Date.now() - started,
      error: response.ok ? null : `HTTP ${response.status}`,
      responseBody: text || null,
    };
  } catch (error) {
    const timedOut =
      signal.aborted ||
      (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"));
    return {
      statusCode: null,
      latencyMs: Date.now() - started,
      error: timedOut
        ? `no answer within ${timeoutMs / 1000} s`
        : `connection failed: ${String(error).slice(0, 200)}`,
      responseBody: null,
    };
  }
}

/** A delivery with what its endpoint needs for an attempt; undefined when either is gone. */
function loadDelivery(db: Orm, deliveryId: string, companyId: string) {
  const d = webhookDeliveries;
  const e = webhookEndpoints;
  return db
    .select({
      id: d.id,
      companyId: d.companyId,
      eventId: d.eventId,
      eventType: d.eventType,
      payload: d.payload,
      status: d.status,
      attempts: d.attempts,
      endpointId: d.endpointId,
      url: e.url,
      enabled: e.enabled,
      encryptedSecret: e.encryptedSecret,
      previousEncryptedSecret: e.previousEncryptedSecret,
      previousSecretExpiresAt: e.previousSecretExpiresAt,
    })
    .from(d)
    .innerJoin(e, eq(e.id, d.endpointId))
    .where(and(eq(d.id, deliveryId), eq(d.companyId, companyId), eq(e.companyId, d.companyId)))
    .get();
}

type DeliveryRow = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

/**
 * The attempt's log row, the delivery's new state and the endpoint's failure bookkeeping, in one
 * batch. `retryAt`: when the queue tries a failure again; null = no retry (the delivery failed).
 */
function recordAttempt(
  db: Orm,
  row: DeliveryRow,
  result: AttemptResult,
  retryAt: number | null,
  now: number,
) {
  const attempt = row.attempts + 1;
  const succeeded = result.error === null;
  const status = succeeded ? "succeeded" : retryAt === null ? "failed" : "pending";
  const disableBefore = now - WEBHOOK_DELIVERY.disableAfterDays * DAY_MS;
  const e = webhookEndpoints;
  return db.batch([
    db
      .insert(webhookAttempts)
      .values({
        deliveryId: row.id,
        attempt,
        attemptedAt: new Date(now),
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        error: result.error,
        responseBody: result.responseBody,
      })
      .onConflictDoNothing(),
    db
      .update(webhookDeliveries)
      .set({
        status,
        attempts: attempt,
        lastStatusCode: result.statusCode,
        lastLatencyMs: result.latencyMs,
        lastError: result.error,
        nextAttemptAt: succeeded || retryAt === null ? null : new Date(retryAt),
        // Undefined leaves the delivery time of an earlier success (a manual redelivery that failed).
        deliveredAt: succeeded ? new Date(now) : undefined,
      })
      .where(eq(webhookDeliveries.id, row.id)),
    db
      .update(e)
      .set({ failingSince: succeeded ? null : sql`coalesce(${e.failingSince}, ${now})` })
      .where(eq(e.id, row.endpointId)),
    db
      .update(e)
      .set({
        enabled: false,
        updatedAt: new Date(now),
        disabledReason: sql`'every delivery failed for ' || CAST(${WEBHOOK_DELIVERY.disableAfterDays} AS INTEGER) || ' days (since ' || strftime('%Y-%m-%dT%H:%M:%SZ', ${e.failingSince} / 1000, 'unixepoch') || ')'`,
      })
      .where(
        and(
          eq(e.id, row.endpointId),
          eq(e.enabled, true),
          isNotNull(e.failingSince),
          lt(e.failingSince, new Date(disableBefore)),
        ),
      )
      .returning({ id: e.id }),
    auditIfPreviousChanged(db, {
      companyId: row.companyId,
      actorId: "webhooks",
      action: "webhook_endpoint.disabled",
      targetType: "webhook_endpoint",
      targetId: row.endpointId,
      details: sql`json_object('url', ${row.url})`,
      now,
    }),
  ]);
}

/**
 * Makes one attempt of a delivery. `manual` (redelivery, test send) attempts even a finished one;
 * `queueAttempt` (the queue's count for this message) sets the backoff; `resolver` answers the
 * host's DNS lookup (shared by a batch's deliveries).
 */
export async function deliver(
  env: DeliveryEnv,
  message: { delivery_id: string; company_id: string; manual?: boolean | undefined },
  queueAttempt: number,
  resolver: HostResolver,
): Promise<DeliveryOutcome> {
  const db = orm(env.CENTRAL_DB);
  const row = await loadDelivery(db, message.delivery_id, message.company_id);
  // Deleted endpoint (its deliveries went with it), or a message for another company: nothing to do.
  if (!row) return "done";
  if (row.status !== "pending" && !message.manual) return "done";
  const now = Date.now();
  const skip = (error: string) =>
    recordAttempt(db, row, { statusCode: null, latencyMs: 0, error, responseBody: null }, null, now).then(
      () => "done" as const,
    );
  if (!row.enabled && row.eventType !== "webhook.test") return skip("the endpoint is disabled");
  // Checked again at delivery: the policy may have been tightened since the endpoint was saved.
  const policy: EndpointUrlPolicy = env.WEBHOOK_URL_POLICY === "local" ? "local" : "public";
  const problem = endpointUrlProblem(row.url, policy);
  if (problem) return skip(`the URL ${problem}`);
  // Where the name leads now (`local` allows private hosts, so it needs no lookup). A name aimed at
  // a private address is refused for good like a refused URL; a lookup that failed is retried.
  const unresolved = policy === "public" ? await resolvedHostProblem(row.url, resolver) : null;
  if (unresolved?.permanent) return skip(unresolved.error);

  const result: AttemptResult = unresolved
    ? { statusCode: null, latencyMs: Date.now() - now, error: unresolved.error, responseBody: null }
    : await post(row, await signingSecrets(env, row, now), deliveryTimeoutMs(env));
  const succeeded = result.error === null;
  // A failure stays pending: the queue retries it, and after its last retry the dead-letter
  // consumer marks it failed.
  const delay = retryDelaySeconds(queueAttempt, retryBaseSeconds(env));
  const [, , , disabled] = await recordAttempt(db, row, result, succeeded ? null : now + delay * 1000, now);
  if (disabled.length > 0) {
    await reportFailingEndpoint(
      env,
      { companyId: row.companyId, endpointId: row.endpointId, url: row.url },
      result.error,
      now,
    );
  }
  console.log(
    JSON.stringify({
      level: succeeded ? "info" : "warn",
      event: "webhook_attempt",
      delivery_id: row.id,
      endpoint_id: row.endpointId,
      attempt: row.attempts + 1,
      status_code: result.statusCode,
      latency_ms: result.latencyMs,
      error: result.error,
    }),
  );
  return succeeded ? "done" : { retryDelaySeconds: delay };
}
