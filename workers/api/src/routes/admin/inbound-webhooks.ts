// Operators' view of inbound webhooks: every verified event with its processing state (received,
// queued, processed, failed), filtered by provider and state, and a replay that queues an event that
// was not processed again (the sweeper gave up on it, or it is stuck).
import { type InboundWebhookEvent, routes } from "@nexus/contracts";
import { inboundWebhookEvents } from "@nexus/db/central";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv, CentralDb } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { honoPath, pageOf, validParams, validQuery } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import { enqueueInbound } from "../../services/inbound-webhooks.ts";

const { listInboundWebhooks, replayInboundWebhook } = routes;
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
  payloadBytes: sql<number>`length(cast(${t.payload} as blob))`,
};

type SummaryRow = Omit<typeof t.$inferSelect, "payload"> & { payloadBytes: number };

function toEventView(row: SummaryRow): InboundWebhookEvent {
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

async function eventById(db: CentralDb, id: string): Promise<SummaryRow> {
  const [row] = await db.select(summaryColumns).from(t).where(eq(t.id, id)).limit(1);
  if (!row) throw new ApiError("NOT_FOUND", `No inbound webhook has the id ${id}.`);
  return row;
}

export const inboundWebhookAdminRoutes = new Hono<AppEnv>()
  .get(honoPath(listInboundWebhooks.path), validQuery(listInboundWebhooks.query), async (c) => {
    const { provider, state, limit, cursor } = c.req.valid("query");
    const rows = await c
      .get("db")
      .select(summaryColumns)
      .from(t)
      .where(
        and(
          cursor ? lt(t.id, cursor) : undefined,
          provider ? eq(t.provider, provider) : undefined,
          state ? eq(t.state, state) : undefined,
        ),
      )
      .orderBy(desc(t.id))
      .limit(limit + 1);
    const page = pageOf(rows, limit);
    return c.json({
      success: true as const,
      events: page.items.map(toEventView),
      next_cursor: page.nextCursor,
    });
  })
  .post(honoPath(replayInboundWebhook.path), validParams(replayInboundWebhook.params), async (c) => {
    const { id } = c.req.valid("param");
    const db = c.get("db");
    const row = await eventById(db, id);
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
    return c.json({ success: true as const, event: toEventView(await eventById(db, id)) });
  });
