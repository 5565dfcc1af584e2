// The one way a workflow is triggered — by the API route, by chat (offline participants) and by
// system events (queue `trigger` messages). One message row per recipient and channel, rendered now;
// the idempotency key's unique index (key, recipient, channel) is what dedupes: rows are inserted
// with ON CONFLICT DO NOTHING … RETURNING and only the rows this call inserted are queued, so the
// same key sent twice, even concurrently, makes one message and one provider call per recipient and
// channel (Knock and Novu dedupe before the insert, which races).
import type { NotificationChannel, NotificationRecipient, NotificationStatus } from "@nexus/contracts";
import { notificationMessages } from "@nexus/db/tenant";
import { eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import type { Principal } from "../../middleware/caller.ts";
import { tenantDatabase } from "../tenant-db.ts";
import type { DeliverQueueMessage } from "./deliver.ts";
import { holdMessages } from "./hold.ts";
import { type DeliveryPlan, planDelivery } from "./plan.ts";
import { preferencesOfRecipients } from "./preferences.ts";
import {
  channelAddress,
  companyName,
  type ResolvedRecipient,
  recipientsWithPush,
  resolveRecipients,
} from "./recipients.ts";
import { type RenderedMessage, renderTemplate } from "./render.ts";
import { effectiveTemplate } from "./templates.ts";
import { type ResolvedWorkflow, requireWorkflow } from "./workflows.ts";

export type TriggerRecipient = NotificationRecipient;

export interface TriggerRequest {
  workflow: string;
  to: TriggerRecipient[];
  payload: Record<string, unknown>;
  idempotencyKey?: string | null;
}

/** Who triggered: a user or API key id, or `system:<event>`. */
export type TriggerActor = string;

export interface TriggerMessage {
  id: string;
  recipient_key: string;
  channel: NotificationChannel;
  status: NotificationStatus;
  status_reason: string | null;
}

export interface TriggerResult {
  duplicate: boolean;
  messages: TriggerMessage[];
}

/** Payloads are stored on every message row and rendered into templates: kept small. */
export const MAX_PAYLOAD_BYTES = 32 * 1024;

type MessageRow = typeof notificationMessages.$inferInsert & { id: string; status: string };
type Statement = BatchItem<"sqlite">;

const summary = (row: {
  id: string;
  recipientKey: string;
  channel: string;
  status: string;
  statusReason?: string | null;
}): TriggerMessage => ({
  id: row.id,
  recipient_key: row.recipientKey,
  // Written only by this file, from the contract's channels and Knock's states.
  channel: row.channel as NotificationChannel,
  status: row.status as NotificationStatus,
  status_reason: row.statusReason ?? null,
});

/** The same rule as services/idempotency.ts: 1–255 visible ASCII characters. */
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key header's value (absent: null), refused when it is not a usable key. */
export function idempotencyKeyFrom(header: string | undefined): string | null {
  if (header === undefined) return null;
  if (!IDEMPOTENCY_KEY_PATTERN.test(header)) {
    throw new ApiError(
      "VALIDATION_FAILED",
      "Idempotency-Key must be 1–255 visible ASCII characters (a UUID is ideal).",
      {
        issues: [{ path: "Idempotency-Key", message: "1–255 visible ASCII characters" }],
      },
    );
  }
  return header;
}

function checkPayload(payload: Record<string, unknown>): void {
  const size = new TextEncoder().encode(JSON.stringify(payload)).byteLength;
  if (size > MAX_PAYLOAD_BYTES) {
    throw new ApiError(
      "VALIDATION_FAILED",
      `The payload is ${size} bytes as JSON; at most ${MAX_PAYLOAD_BYTES}.`,
      {
        issues: [{ path: "payload", message: `At most ${MAX_PAYLOAD_BYTES} bytes as JSON` }],
      },
    );
  }
}

async function existingMessages(db: D1Database, idempotencyKey: string): Promise<TriggerMessage[]> {
  const rows = await drizzle(db)
    .select()
    .from(notificationMessages)
    .where(eq(notificationMessages.idempotencyKey, idempotencyKey))
    .orderBy(notificationMessages.id);
  return rows.map(summary);
}

/** Renders each (channel, locale) once: recipients sharing a locale share the template. */
function templateCache(db: D1Database, workflow: ResolvedWorkflow) {
  const cache = new Map<string, ReturnType<typeof effectiveTemplate>>();
  return (channel: NotificationChannel, locale: string) => {
    const key = `${channel}:${locale}`;
    let template = cache.get(key);
    if (!template) {
      template = effectiveTemplate(db, workflow.key, channel, locale);
      cache.set(key, template);
    }
    return template;
  };
}

function planned(
  plan: DeliveryPlan,
): Pick<MessageRow, "status" | "statusReason" | "scheduledFor" | "digestKey"> {
  switch (plan.action) {
    case "send":
      return { status: "queued", statusReason: null, scheduledFor: null, digestKey: null };
    case "skip":
      return { status: "not_sent", statusReason: plan.reason, scheduledFor: null, digestKey: null };
    case "hold":
      return { status: "queued", statusReason: "quiet hours", scheduledFor: plan.until, digestKey: null };
    case "digest":
      return {
        status: "queued",
        statusReason: "digest",
        scheduledFor: plan.until,
        digestKey: plan.digestKey,
      };
  }
}

async function buildRows(
  env: Env,
  db: D1Database,
  companyId: string,
  workflow: ResolvedWorkflow,
  recipients: ResolvedRecipient[],
  request: TriggerRequest,
  actor: TriggerActor,
): Promise<MessageRow[]> {
  const now = Date.now();
  const [name, context, withPush] = await Promise.all([
    companyName(env, companyId),
    preferencesOfRecipients(
      db,
      recipients.map((recipient) => recipient.key),
    ),
    workflow.channels.includes("push")
      ? recipientsWithPush(
          db,
          recipients.map((recipient) => recipient.key),
        )
      : Promise.resolve(new Set<string>()),
  ]);
  const templateFor = templateCache(db, workflow);
  const rows: MessageRow[] = [];
  for (const recipient of recipients) {
    for (const channel of workflow.channels) {
      const target = channelAddress(recipient, channel, withPush);
      if (!target) continue;
      const template = await templateFor(channel, recipient.locale);
      let rendered: RenderedMessage = { subject: null, body: "" };
      if (template) {
        rendered = await renderTemplate(channel, template, {
          payload: request.payload,
          recipient: { key: recipient.key, name: recipient.name, email: recipient.email },
          company: { id: companyId, name },
          workflow: { key: workflow.key, name: workflow.name },
        });
      }
      const state =
        "skip" in target
          ? planned({ action: "skip", reason: target.skip })
          : !template
            ? planned({ action: "skip", reason: "no template" })
            : planned(
                await planDelivery(
                  db,
                  {
                    recipientKey: recipient.key,
                    channel,
                    category: workflow.category,
                    critical: workflow.critical,
                    digestMinutes: workflow.digestMinutes,
                    now,
                    workflowKey: workflow.key,
                  },
                  context,
                ),
              );
      rows.push({
        id: newId(now),
        workflowKey: workflow.key,
        category: workflow.category,
        critical: workflow.critical,
        idempotencyKey: request.idempotencyKey ?? null,
        recipientKey: recipient.key,
        channel,
        address: "address" in target ? target.address : null,
        locale: template?.locale ?? recipient.locale,
        subject: rendered.subject,
        body: rendered.body,
        payload: request.payload,
        triggeredBy: actor,
        createdAt: now,
        updatedAt: now,
        ...state,
      });
    }
  }
  return rows;
}

/** Inserts the rows, skipping those whose (idempotency key, recipient, channel) exists; returns the inserted ids. */
async function insertNew(db: D1Database, rows: MessageRow[]): Promise<Set<string>> {
  const orm = drizzle(db);
  const inserted = new Set<string>();
  // One row per statement (D1 binds at most 100 parameters), 100 statements per batch.
  for (let start = 0; start < rows.length; start += 100) {
    const statements: Statement[] = rows
      .slice(start, start + 100)
      .map((row) =>
        orm
          .insert(notificationMessages)
          .values(row)
          .onConflictDoNothing()
          .returning({ id: notificationMessages.id }),
      );
    const [first, ...rest] = statements;
    if (!first) continue;
    const results = (await orm.batch([first, ...rest])) as { id: string }[][];
    for (const result of results) for (const { id } of result) inserted.add(id);
  }
  return inserted;
}

/**
 * Queues delivery of the rows this call inserted: held ones go to the hub (released when quiet hours
 * end or the digest window closes), the rest onto the notifications queue. If the queue refuses, the
 * rows are removed again so a retry with the same key starts over instead of finding stuck messages.
 */
async function dispatch(env: Env, db: D1Database, companyId: string, rows: MessageRow[]): Promise<void> {
  const now = rows.filter((row) => row.status === "queued" && row.scheduledFor == null);
  const held = rows.filter((row) => row.status === "queued" && row.scheduledFor != null);
  try {
    for (let start = 0; start < now.length; start += 100) {
      await env.NOTIFICATIONS_QUEUE.sendBatch(
        now.slice(start, start + 100).map((row) => ({
          body: { kind: "deliver", company_id: companyId, message_id: row.id } satisfies DeliverQueueMessage,
          contentType: "json" as const,
        })),
      );
    }
  } catch (error) {
    const orm = drizzle(db);
    const ids = rows.map((row) => row.id);
    for (let start = 0; start < ids.length; start += 90) {
      await orm
        .delete(notificationMessages)
        .where(inArray(notificationMessages.id, ids.slice(start, start + 90)));
    }
    console.error(
      JSON.stringify({
        level: "error",
        event: "notification_enqueue_failed",
        companyId,
        detail: String(error),
      }),
    );
    throw new ApiError(
      "SERVICE_UNAVAILABLE",
      "Notifications cannot be queued right now; retry with the same key.",
      {
        action: "retry",
      },
    );
  }
  const until = held.flatMap((row) =>
    row.scheduledFor == null ? [] : [{ id: row.id, until: row.scheduledFor }],
  );
  if (until.length > 0) await holdMessages(env, companyId, until);
}

export async function triggerWorkflow(
  env: Env,
  companyId: string,
  request: TriggerRequest,
  actor: TriggerActor,
): Promise<TriggerResult> {
  checkPayload(request.payload);
  const db = await tenantDatabase(env, companyId);
  const workflow = await requireWorkflow(db, request.workflow);
  const key = request.idempotencyKey ?? null;
  if (key !== null) {
    // A repeat after the first finished: answer it without resolving or rendering again.
    const earlier = await existingMessages(db, key);
    if (earlier.length > 0) return { duplicate: true, messages: earlier };
  }
  const recipients = await resolveRecipients(env, db, companyId, request.to);
  const rows = await buildRows(env, db, companyId, workflow, recipients, request, actor);
  const inserted = await insertNew(db, rows);
  const mine = rows.filter((row) => inserted.has(row.id));
  await dispatch(env, db, companyId, mine);
  if (key === null) return { duplicate: false, messages: mine.map(summary) };
  // A concurrent request with the same key may have stored some rows first: answer with the rows
  // the key has now (the same ids every caller of this key sees).
  const messages = await existingMessages(db, key);
  return { duplicate: mine.length === 0 && messages.length > 0, messages };
}

/** How a caller is recorded as `triggered_by` / `created_by`. */
export function actorOf(caller: Principal): TriggerActor {
  switch (caller.kind) {
    case "user":
      return caller.userId;
    case "apiKey":
      return `api_key:${caller.key.id}`;
    case "operator":
      return `operator:${caller.id}`;
    case "installation":
      return `installation:${caller.installationId}`;
  }
}
