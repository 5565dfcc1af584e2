// The hub's alarm hands back held messages (quiet hours over, digest window closed). Each is checked
// again (still queued? opted out since? inside quiet hours again?), each digest window becomes one
// digest message per channel, and deliveries are queued.
//
// Digests follow Knock's batch: the batched messages are not sent one by one; they become `sent`
// with status_reason `in digest <digest message id>` when the digest is built, and the digest message
// (same workflow, recipient and channel, the same digest_key, idempotency key `digest:<key>`) is
// what the provider gets and what later turns delivered or bounced. A digest of one message is
// just that message, sent as it was rendered.
import { newId } from "@nexus/db";
import { notificationMessages } from "@nexus/db/tenant";
import { and, eq, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { tenantDatabase } from "../tenant-db.ts";
import { DIGEST_IDEMPOTENCY_PREFIX, digestContent } from "./digest.ts";
import { type HeldMessage, holdMessages } from "./hold.ts";
import { recheckHeld } from "./plan.ts";

type MessageRow = typeof notificationMessages.$inferSelect;

export interface ReleaseOutcome {
  delivered: string[];
  skipped: string[];
  held: HeldMessage[];
  digests: string[];
}

/** Queue messages per sendBatch (the queue's limit). */
const QUEUE_BATCH = 100;

const isDigestMessage = (row: MessageRow) =>
  row.idempotencyKey?.startsWith(DIGEST_IDEMPOTENCY_PREFIX) ?? false;

export async function releaseHeld(
  env: Env,
  companyId: string,
  messageIds: string[],
): Promise<ReleaseOutcome> {
  const outcome: ReleaseOutcome = { delivered: [], skipped: [], held: [], digests: [] };
  if (messageIds.length === 0) return outcome;
  const db = await tenantDatabase(env, companyId);
  const orm = drizzle(db);
  const now = Date.now();
  const rows = await orm
    .select()
    .from(notificationMessages)
    .where(and(inArray(notificationMessages.id, messageIds), eq(notificationMessages.status, "queued")));

  const digestKeys = new Set<string>();
  for (const row of rows) {
    if (row.digestKey && !isDigestMessage(row)) digestKeys.add(row.digestKey);
    else await releaseOne(db, row, now, outcome);
  }
  for (const key of digestKeys) await releaseDigest(db, key, now, outcome);

  await enqueueDeliveries(env, companyId, outcome.delivered);
  await holdMessages(env, companyId, outcome.held);
  return outcome;
}

/** One message: skipped if opted out since, held again if inside (new) quiet hours, else delivered. */
async function releaseOne(
  db: D1Database,
  row: MessageRow,
  now: number,
  outcome: ReleaseOutcome,
): Promise<void> {
  // Held to a later time since this release was sent (quiet hours changed): the hub has that time too.
  if (row.scheduledFor !== null && row.scheduledFor > now + 1000) {
    outcome.held.push({ id: row.id, until: row.scheduledFor });
    return;
  }
  const plan = await recheckHeld(db, { ...row, now });
  if (plan.action === "skip") {
    await markNotSent(db, [row.id], plan.reason, now);
    outcome.skipped.push(row.id);
  } else if (plan.action === "hold") {
    await drizzle(db)
      .update(notificationMessages)
      .set({ scheduledFor: plan.until, updatedAt: now })
      .where(and(eq(notificationMessages.id, row.id), eq(notificationMessages.status, "queued")));
    outcome.held.push({ id: row.id, until: plan.until });
  } else {
    outcome.delivered.push(row.id);
  }
}

async function markNotSent(db: D1Database, ids: string[], reason: string, now: number): Promise<void> {
  await drizzle(db)
    .update(notificationMessages)
    .set({ status: "not_sent", statusReason: reason, updatedAt: now })
    .where(and(inArray(notificationMessages.id, ids), eq(notificationMessages.status, "queued")));
}

/**
 * A closed digest window: every queued message of it (also those a concurrent release was handed),
 * oldest first, becomes one digest message. The digest's idempotency key makes a second release of
 * the same window a no-op; a message that joined a window already built goes out on its own.
 */
async function releaseDigest(db: D1Database, digestKey: string, now: number, outcome: ReleaseOutcome) {
  const orm = drizzle(db);
  const members = (
    await orm
      .select()
      .from(notificationMessages)
      .where(and(eq(notificationMessages.digestKey, digestKey), eq(notificationMessages.status, "queued")))
      .orderBy(notificationMessages.createdAt, notificationMessages.id)
  ).filter((row) => !isDigestMessage(row) && (row.scheduledFor ?? 0) <= now + 1000);
  const [first] = members;
  if (!first) return;
  if (members.length === 1) {
    await releaseOne(db, first, now, outcome);
    return;
  }
  const ids = members.map((row) => row.id);
  const plan = await recheckHeld(db, { ...first, now });
  if (plan.action === "skip") {
    await markNotSent(db, ids, plan.reason, now);
    outcome.skipped.push(...ids);
    return;
  }
  const digestId = newId(now);
  const content = digestContent(first.channel, members);
  const [inserted] = await orm.batch([
    orm
      .insert(notificationMessages)
      .values({
        id: digestId,
        workflowKey: first.workflowKey,
        category: first.category,
        critical: false,
        idempotencyKey: `${DIGEST_IDEMPOTENCY_PREFIX}${digestKey}`,
        recipientKey: first.recipientKey,
        channel: first.channel,
        address: first.address,
        locale: first.locale,
        subject: content.subject,
        body: content.body,
        payload: { digest: { count: members.length, message_ids: ids } },
        status: "queued",
        scheduledFor: plan.action === "hold" ? plan.until : null,
        digestKey,
        triggeredBy: "system:digest",
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: notificationMessages.id }),
    // Only when the insert above made the digest (its fresh id exists): then the batch is in it.
    orm
      .update(notificationMessages)
      .set({ status: "sent", statusReason: `in digest ${digestId}`, sentAt: now, updatedAt: now })
      .where(
        and(
          inArray(notificationMessages.id, ids),
          eq(notificationMessages.status, "queued"),
          sql`exists (select 1 from ${notificationMessages} where ${notificationMessages.id} = ${digestId})`,
        ),
      ),
  ]);
  if (inserted.length === 0) {
    // The window's digest exists already: these came late and go out one by one.
    for (const row of members) await releaseOne(db, row, now, outcome);
    return;
  }
  outcome.digests.push(digestId);
  if (plan.action === "hold") outcome.held.push({ id: digestId, until: plan.until });
  else outcome.delivered.push(digestId);
}

async function enqueueDeliveries(env: Env, companyId: string, ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += QUEUE_BATCH) {
    await env.NOTIFICATIONS_QUEUE.sendBatch(
      ids.slice(start, start + QUEUE_BATCH).map((id) => ({
        body: { kind: "deliver", company_id: companyId, message_id: id },
      })),
    );
  }
}
