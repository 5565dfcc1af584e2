// One delivery attempt of one notification message (queue message `{kind: "deliver"}`): claim the row,
// walk its channel's provider chain (failover: each failed provider is an attempt row, then the next
// is tried), and record the outcome — sent (delivered for in-app), not_sent, a retry with a growing
// delay, or, after NOTIFY_MAX_ATTEMPTS, undelivered with one dead letter for operators.
//
// Exactly one provider call per attempt, however often the queue hands the message over: the claim is
// optimistic on `attempts` (only the consumer that moves it from n to n+1 sends), and a queue message
// that has been delivered fewer times than the row has attempts is a stale duplicate.
import { deadLetters, notificationProviderRefs } from "@nexus/db/central";
import { notificationAttempts, notificationMessages } from "@nexus/db/tenant";
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { getConfig } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { notifyUsers } from "../hub.ts";
import { tenantDatabase } from "../tenant-db.ts";
import { providerChain } from "./providers/chain.ts";
import type { NotifyUsers } from "./providers/in-app.ts";
import {
  type NotificationChannel,
  type OutgoingMessage,
  type ProviderOutcome,
  thrownFailure,
} from "./providers/types.ts";
import { unsubscribeUrl } from "./unsubscribe.ts";

export const NOTIFICATIONS_QUEUE_NAME = "nexus-notifications";

export interface DeliverQueueMessage {
  kind: "deliver";
  company_id: string;
  message_id: string;
  /** An operator's replay of the message's dead letter: an undelivered message starts over. */
  manual?: boolean;
}

export type DeliverVerdict = { action: "ack"; outcome: string } | { action: "retry"; delaySeconds: number };

/** Cloudflare Queues delays a retry by at most 12 hours. */
export const MAX_RETRY_DELAY_SECONDS = 43_200;

/** base·2^(attempt−1) plus up to 20 % jitter, so a provider outage is not hit by every retry at once. */
export function retryDelaySeconds(
  baseSeconds: number,
  attempt: number,
  random: () => number = Math.random,
): number {
  const delay = baseSeconds * 2 ** Math.max(0, attempt - 1);
  return Math.min(MAX_RETRY_DELAY_SECONDS, Math.round(delay + random() * 0.2 * delay));
}

const CHANNELS: readonly string[] = ["email", "sms", "push", "in_app"] satisfies NotificationChannel[];
const isChannel = (value: string): value is NotificationChannel => CHANNELS.includes(value);

/** In-app delivery tells the recipient's open sockets through the company hub (sendToUsers). */
function liveNotifier(env: Env, companyId: string): NotifyUsers {
  return (userIds, message) => notifyUsers(env, companyId, userIds, message);
}

interface AttemptRecord {
  provider: string;
  outcome: "sent" | "failed" | "skipped";
  error: string | null;
  httpStatus: number | null;
  latencyMs: number;
}

function record(provider: string, result: ProviderOutcome, latencyMs: number): AttemptRecord {
  if (result.outcome === "sent")
    return { provider, outcome: "sent", error: null, httpStatus: result.httpStatus, latencyMs };
  if (result.outcome === "skipped")
    return { provider, outcome: "skipped", error: result.reason, httpStatus: null, latencyMs };
  return { provider, outcome: "failed", error: result.error, httpStatus: result.httpStatus, latencyMs };
}

function log(event: string, fields: Record<string, unknown>, level = "info"): void {
  console.log(JSON.stringify({ level, event, ...fields }));
}

/**
 * A replayed dead letter: the undelivered message is queued again with its attempts reset (one
 * conditional update, so two replays restart it once); any other state is left as it is.
 */
async function restartUndelivered(orm: ReturnType<typeof drizzle>, id: string, now: number) {
  const t = notificationMessages;
  const restarted = await orm
    .update(t)
    .set({ status: "queued", statusReason: null, attempts: 0, updatedAt: now })
    .where(and(eq(t.id, id), eq(t.status, "undelivered")))
    .returning();
  return restarted.length > 0 ? restarted : orm.select().from(t).where(eq(t.id, id)).limit(1);
}

export interface DeliverOptions {
  now?: () => number;
  random?: () => number;
}

/**
 * Delivers the message once, if this queue message may (see the file comment). `deliveries` is the
 * queue's count of this message's deliveries (`message.attempts`, 1 on the first).
 */
export async function deliverMessage(
  env: Env,
  body: DeliverQueueMessage,
  deliveries: number,
  options: DeliverOptions = {},
): Promise<DeliverVerdict> {
  const now = options.now ?? Date.now;
  const config = getConfig(env);
  let d1: D1Database;
  try {
    d1 = await tenantDatabase(env, body.company_id);
  } catch (error) {
    // A company that is gone (or keeps its data elsewhere) will not come back for this message.
    if (error instanceof ApiError && error.code !== "SERVICE_UNAVAILABLE") {
      log(
        "notification_company_unavailable",
        { company_id: body.company_id, message_id: body.message_id, code: error.code },
        "warn",
      );
      return { action: "ack", outcome: "no tenant database" };
    }
    throw error;
  }
  const orm = drizzle(d1);
  const t = notificationMessages;
  const [row] = body.manual
    ? await restartUndelivered(orm, body.message_id, now())
    : await orm.select().from(t).where(eq(t.id, body.message_id)).limit(1);
  if (!row) return { action: "ack", outcome: "no such message" };
  if (row.status !== "queued") return { action: "ack", outcome: `already ${row.status}` };
  if (row.scheduledFor !== null && row.scheduledFor > now()) return { action: "ack", outcome: "held" };
  if (row.attempts >= deliveries) return { action: "ack", outcome: "stale queue message" };

  const claimed = await orm
    .update(t)
    .set({ attempts: sql`${t.attempts} + 1`, updatedAt: now() })
    .where(and(eq(t.id, row.id), eq(t.status, "queued"), eq(t.attempts, row.attempts)))
    .returning({ attempts: t.attempts });
  const attempt = claimed[0]?.attempts;
  if (attempt === undefined) return { action: "ack", outcome: "claimed by another delivery" };

  if (!isChannel(row.channel)) {
    await orm
      .update(t)
      .set({ status: "not_sent", statusReason: `unknown channel "${row.channel}"`, updatedAt: now() })
      .where(eq(t.id, row.id));
    return { action: "ack", outcome: "not_sent" };
  }
  const message: OutgoingMessage = {
    id: row.id,
    companyId: body.company_id,
    channel: row.channel,
    workflowKey: row.workflowKey,
    category: row.category,
    critical: row.critical,
    recipientKey: row.recipientKey,
    address: row.address,
    locale: row.locale,
    subject: row.subject,
    body: row.body,
    payload: row.payload,
    createdAt: row.createdAt,
    // Critical workflows cannot be opted out of, so their mail carries no unsubscribe link.
    unsubscribeUrl:
      row.channel === "email" && !row.critical
        ? await unsubscribeUrl(env, body.company_id, row.recipientKey, row.category, row.channel)
        : null,
    attempt,
  };
  const chain = providerChain(message.channel, {
    env,
    config,
    db: d1,
    notifyUsers: liveNotifier(env, body.company_id),
  });
  for (const missing of chain.missing) {
    log("notification_provider_unavailable", { provider: missing.name, reason: missing.reason }, "warn");
  }

  const records: AttemptRecord[] = [];
  let final: ProviderOutcome | null = null;
  let finalProvider = "";
  for (const provider of chain.providers) {
    const started = Date.now();
    let result: ProviderOutcome;
    try {
      result = await provider.send(message);
    } catch (error) {
      result = thrownFailure(error);
    }
    records.push(record(provider.name, result, Date.now() - started));
    final = result;
    finalProvider = provider.name;
    if (result.outcome !== "failed") break;
  }

  const attemptRows = (retryDelay: number | null) =>
    records.map((entry, index) => ({
      id: newId(),
      messageId: row.id,
      attempt,
      provider: entry.provider,
      outcome: entry.outcome,
      error: entry.error,
      httpStatus: entry.httpStatus,
      latencyMs: entry.latencyMs,
      // The delay the attempt earned is on its last provider's row: the one the retry follows.
      retryDelaySeconds: index === records.length - 1 ? retryDelay : null,
      createdAt: now(),
    }));
  const updateRow = (values: Partial<typeof t.$inferInsert>) =>
    orm
      .update(t)
      .set({ ...values, updatedAt: now() })
      .where(and(eq(t.id, row.id), eq(t.status, "queued")));
  const writeAttempts = async (retryDelay: number | null, values: Partial<typeof t.$inferInsert>) => {
    const rows = attemptRows(retryDelay);
    if (rows.length === 0) await updateRow(values);
    else await orm.batch([orm.insert(notificationAttempts).values(rows), updateRow(values)]);
  };

  if (final === null) {
    const reason = `no ${message.channel} provider is configured: ${chain.missing.map((m) => `${m.name} (${m.reason})`).join("; ") || "none"}`;
    await writeAttempts(null, { status: "not_sent", statusReason: reason.slice(0, 500) });
    log("notification_not_sent", { message_id: row.id, reason });
    return { action: "ack", outcome: "not_sent" };
  }
  if (final.outcome === "skipped") {
    await writeAttempts(null, { status: "not_sent", statusReason: final.reason, provider: finalProvider });
    return { action: "ack", outcome: "not_sent" };
  }
  if (final.outcome === "sent") {
    const delivered = final.delivered === true;
    if (final.providerMessageId && !delivered) {
      // Before the row says sent: a delivery webhook that overtakes the update still finds its message.
      await drizzle(env.CENTRAL_DB)
        .insert(notificationProviderRefs)
        .values({
          provider: finalProvider,
          providerMessageId: final.providerMessageId,
          companyId: body.company_id,
          messageId: row.id,
        })
        .onConflictDoNothing();
    }
    await writeAttempts(null, {
      status: delivered ? "delivered" : "sent",
      statusReason: null,
      provider: finalProvider,
      providerMessageId: final.providerMessageId,
      sentAt: now(),
      ...(delivered ? { deliveredAt: now() } : {}),
    });
    log("notification_sent", {
      message_id: row.id,
      channel: message.channel,
      provider: finalProvider,
      attempt,
    });
    return { action: "ack", outcome: delivered ? "delivered" : "sent" };
  }

  const failures = records.filter((entry) => entry.outcome === "failed");
  const summary = failures.map((entry) => `${entry.provider}: ${entry.error ?? "failed"}`).join("; ");
  const permanent =
    chain.providers.length > 0 && final.permanent && failures.length === chain.providers.length;
  if (attempt >= config.NOTIFY_MAX_ATTEMPTS || permanent) {
    const reason = `${permanent ? "refused" : `failed ${attempt} attempts`}; last: ${summary}`.slice(0, 500);
    await writeAttempts(null, { status: "undelivered", statusReason: reason, provider: finalProvider });
    // One dead letter per message (the unique (queue, message_id) index), for operators' dead-letter
    // view; a replayed message that fails again makes its letter pending again.
    const letter = {
      companyId: body.company_id,
      body: { kind: "deliver", company_id: body.company_id, message_id: row.id, last_error: reason },
      attempts: attempt,
    };
    await drizzle(env.CENTRAL_DB)
      .insert(deadLetters)
      .values({ id: newId(), queue: NOTIFICATIONS_QUEUE_NAME, messageId: row.id, ...letter })
      .onConflictDoUpdate({
        target: [deadLetters.queue, deadLetters.messageId],
        set: { ...letter, state: "pending", resolvedAt: null, resolvedBy: null, createdAt: new Date(now()) },
      });
    log(
      "notification_undelivered",
      { message_id: row.id, channel: message.channel, attempts: attempt, reason },
      "warn",
    );
    return { action: "ack", outcome: "undelivered" };
  }
  const delaySeconds = retryDelaySeconds(config.NOTIFY_RETRY_BASE_SECONDS, attempt, options.random);
  await writeAttempts(delaySeconds, {
    statusReason: `attempt ${attempt} failed (${summary}); retrying in ${delaySeconds} s`.slice(0, 500),
  });
  return { action: "retry", delaySeconds };
}
