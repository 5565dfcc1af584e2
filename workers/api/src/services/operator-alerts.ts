// Alerts for platform operators: conditions no company admin can fix (the tenant pool running low,
// dead letters piling up, a company's webhook endpoints failing for an hour). A check every five
// minutes (index.ts) raises one alert per condition — the open-alert unique index on dedupe_key
// makes a condition seen at every check alert once — mails it to OPERATOR_ALERT_EMAILS through the
// platform's mailer, and resolves it by itself once the condition is gone.
import type { OperatorAlert, OperatorAlertKind } from "@nexus/contracts";
import { deadLetters, operatorAlerts as t, tenantDbPool, webhookEndpoints } from "@nexus/db/central";
import { and, count, eq, gte, isNotNull, lt, notInArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type CentralDb, getConfig } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { listPage, type PageRequest } from "./list-page.ts";
import { mailerFor } from "./mail.ts";
import { syncPoolFromBindings } from "./tenant-pool.ts";

type AlertRow = typeof t.$inferSelect;

export interface AlertCondition {
  kind: OperatorAlertKind;
  /** One open alert per key: the kind, plus the company for per-company conditions. */
  dedupeKey: string;
  companyId?: string | null;
  subject: string;
  body: string;
  details: Record<string, unknown>;
}

export const toOperatorAlert = (row: AlertRow): OperatorAlert => ({
  id: row.id,
  kind: row.kind as OperatorAlertKind,
  company_id: row.companyId,
  subject: row.subject,
  body: row.body,
  details: row.details,
  status: row.status,
  delivered_to: row.deliveredTo,
  created_at: row.createdAt.toISOString(),
  resolved_at: row.resolvedAt ? row.resolvedAt.toISOString() : null,
});

/**
 * Raises the alert unless one is open for the same condition; a new one is mailed to every operator
 * address. A mail that fails is logged and the alert kept (the console lists it either way).
 */
export async function raiseOperatorAlert(env: Env, condition: AlertCondition): Promise<AlertRow | null> {
  const db = drizzle(env.CENTRAL_DB);
  const [row] = await db
    .insert(t)
    .values({
      id: newId(),
      kind: condition.kind,
      dedupeKey: condition.dedupeKey,
      companyId: condition.companyId ?? null,
      subject: condition.subject,
      body: condition.body,
      details: condition.details,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return null;
  console.error(JSON.stringify({ level: "alert", event: "operator_alert", kind: row.kind, id: row.id }));
  const recipients = getConfig(env).OPERATOR_ALERT_EMAILS;
  const delivered: string[] = [];
  const mailer = mailerFor(env, db);
  for (const to of recipients) {
    try {
      await mailer.send({ to, subject: `[Nexus Central] ${row.subject}`, text: row.body });
      delivered.push(to);
    } catch (error) {
      console.error(
        JSON.stringify({
          level: "error",
          event: "operator_alert_mail_failed",
          id: row.id,
          detail: String(error),
        }),
      );
    }
  }
  if (delivered.length === 0) return row;
  const [updated] = await db.update(t).set({ deliveredTo: delivered }).where(eq(t.id, row.id)).returning();
  return updated ?? row;
}

/** Resolves the open alerts of a kind whose condition the latest check no longer sees. */
async function resolveGone(db: CentralDb, kind: OperatorAlertKind, stillHolding: string[]): Promise<void> {
  await db
    .update(t)
    .set({ status: "resolved", resolvedAt: new Date() })
    .where(
      and(
        eq(t.kind, kind),
        eq(t.status, "open"),
        stillHolding.length > 0 ? notInArray(t.dedupeKey, stillHolding) : undefined,
      ),
    );
}

async function poolCondition(env: Env, db: CentralDb): Promise<AlertCondition[]> {
  await syncPoolFromBindings(env);
  const [row] = await db.select({ n: count() }).from(tenantDbPool).where(eq(tenantDbPool.status, "free"));
  const free = row?.n ?? 0;
  const threshold = getConfig(env).TENANT_POOL_LOW_THRESHOLD;
  if (free >= threshold) return [];
  return [
    {
      kind: "tenant_pool_low",
      dedupeKey: "tenant_pool_low",
      subject: `The tenant database pool is low: ${free} free`,
      body: `Only ${free} tenant database(s) are free (alert threshold ${threshold}). New companies are refused with TENANT_POOL_EXHAUSTED once none is left. Add databases with \`nexus tenants pool add N\` and deploy.`,
      details: { free, threshold },
    },
  ];
}

async function deadLetterCondition(env: Env, db: CentralDb, now: number): Promise<AlertCondition[]> {
  const [pending] = await db.select({ n: count() }).from(deadLetters).where(eq(deadLetters.state, "pending"));
  const [lastHour] = await db
    .select({ n: count() })
    .from(deadLetters)
    .where(gte(deadLetters.createdAt, new Date(now - 3_600_000)));
  const threshold = getConfig(env).DEAD_LETTER_ALERT_THRESHOLD;
  const total = pending?.n ?? 0;
  if (total < threshold) return [];
  return [
    {
      kind: "dead_letters_growing",
      dedupeKey: "dead_letters_growing",
      subject: `${total} dead letters are waiting`,
      body: `${total} queue messages failed every retry and wait for an operator (${lastHour?.n ?? 0} in the last hour; alert threshold ${threshold}). Inspect them with GET /api/admin/dead-letters or \`nexus dead-letters list\`, then replay or discard them.`,
      details: { pending: total, last_hour: lastHour?.n ?? 0, threshold },
    },
  ];
}

async function webhookCondition(env: Env, db: CentralDb, now: number): Promise<AlertCondition[]> {
  const minutes = getConfig(env).WEBHOOK_FAILING_ALERT_MINUTES;
  const rows = await db
    .select({ companyId: webhookEndpoints.companyId, n: count() })
    .from(webhookEndpoints)
    .where(
      and(
        isNotNull(webhookEndpoints.failingSince),
        lt(webhookEndpoints.failingSince, new Date(now - minutes * 60_000)),
        eq(webhookEndpoints.enabled, true),
      ),
    )
    .groupBy(webhookEndpoints.companyId);
  return rows.map((row) => ({
    kind: "webhooks_failing" as const,
    dedupeKey: `webhooks_failing:${row.companyId}`,
    companyId: row.companyId,
    subject: `Company ${row.companyId}: ${row.n} webhook endpoint(s) failing`,
    body: `${row.n} webhook endpoint(s) of company ${row.companyId} have failed every delivery for more than ${minutes} minutes. The company's admins are notified too; endpoints failing for days are disabled.`,
    details: { company_id: row.companyId, endpoints: row.n, minutes },
  }));
}

/** The five-minute check: raises what holds, resolves what is gone. Returns the alerts it raised. */
export async function checkOperatorAlerts(env: Env, now = Date.now()): Promise<AlertRow[]> {
  const db = drizzle(env.CENTRAL_DB);
  const checks: [OperatorAlertKind, AlertCondition[]][] = [
    ["tenant_pool_low", await poolCondition(env, db)],
    ["dead_letters_growing", await deadLetterCondition(env, db, now)],
    ["webhooks_failing", await webhookCondition(env, db, now)],
  ];
  const raised: AlertRow[] = [];
  for (const [kind, conditions] of checks) {
    await resolveGone(
      db,
      kind,
      conditions.map((condition) => condition.dedupeKey),
    );
    for (const condition of conditions) {
      const row = await raiseOperatorAlert(env, condition);
      if (row) raised.push(row);
    }
  }
  return raised;
}

export function operatorAlertPage(
  db: CentralDb,
  page: PageRequest,
  filters: { status?: AlertRow["status"] | undefined; kind?: OperatorAlertKind | undefined },
) {
  return listPage(
    page,
    t.id,
    [
      filters.status ? eq(t.status, filters.status) : undefined,
      filters.kind ? eq(t.kind, filters.kind) : undefined,
    ],
    ({ where, orderBy, limit }) => db.select().from(t).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
}

export async function resolveOperatorAlert(db: CentralDb, id: string): Promise<AlertRow> {
  const [row] = await db
    .update(t)
    .set({ status: "resolved", resolvedAt: new Date() })
    .where(and(eq(t.id, id), eq(t.status, "open")))
    .returning();
  if (row) return row;
  const [existing] = await db.select().from(t).where(eq(t.id, id));
  if (!existing) throw new ApiError("NOT_FOUND", "No operator alert has this id.");
  return existing;
}
