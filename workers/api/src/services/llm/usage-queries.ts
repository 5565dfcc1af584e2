// What the dashboard reads of the gateway's accounting: the call log (one llm_calls row per call,
// newest first) and usage over time, summed per hour or day and per model, provider or API key,
// with this month's budget and what the company's hub has counted against it.
import type { LlmCall, LlmCallQuerySchema, LlmUsageQuerySchema, LlmUsageSchema } from "@nexus/contracts";
import { llmCalls } from "@nexus/db/tenant";
import { and, asc, count, eq, gte, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { z } from "zod";
import { ApiError } from "../../lib/errors.ts";
import { companyHub } from "../hub.ts";
import { listPage } from "../list-page.ts";
import { tenantDatabase } from "../tenant-db.ts";
import { llmPolicy } from "./policy.ts";

export type LlmCallRow = typeof llmCalls.$inferSelect;
type LlmUsage = z.infer<typeof LlmUsageSchema>;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DEFAULT_RANGE_MS = 30 * DAY_MS;
// Enough points for a chart; a wider range asks for the coarser bucket.
const MAX_RANGE_MS = { hour: 31 * DAY_MS, day: 366 * DAY_MS } as const;

const iso = (ms: number) => new Date(ms).toISOString();

export function toLlmCallView(row: LlmCallRow): LlmCall {
  return {
    id: row.id,
    request_id: row.requestId,
    created_at: iso(row.createdAt),
    model: row.model,
    provider: row.provider,
    provider_model: row.providerModel,
    key_source: row.keySource,
    api_key_id: row.apiKeyId,
    installation_id: row.installationId,
    fallback_step: row.fallbackStep,
    attempts: row.attempts,
    stream: row.stream,
    status: row.status,
    http_status: row.httpStatus,
    input_tokens: row.inputTokens,
    cached_tokens: row.cachedTokens,
    output_tokens: row.outputTokens,
    cost_usd_micros: row.costUsdMicros,
    price_version: row.priceVersion,
    latency_ms: row.latencyMs,
    estimated: row.estimated,
    prompt: row.prompt,
    output: row.output,
  };
}

/** A page of the call log, newest first (call ids are time-ordered), with the filters applied. */
export async function llmCallPage(
  env: Env,
  companyId: string,
  query: z.output<typeof LlmCallQuerySchema>,
): Promise<{ calls: LlmCall[]; next_cursor: string | null }> {
  const orm = drizzle(await tenantDatabase(env, companyId));
  const page = await listPage(
    query,
    llmCalls.id,
    [
      query.model === undefined ? undefined : eq(llmCalls.model, query.model),
      query.provider === undefined ? undefined : eq(llmCalls.provider, query.provider),
      query.api_key_id === undefined ? undefined : eq(llmCalls.apiKeyId, query.api_key_id),
      query.status === undefined ? undefined : eq(llmCalls.status, query.status),
    ],
    ({ where, orderBy, limit }) => orm.select().from(llmCalls).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
  return { calls: page.items.map(toLlmCallView), next_cursor: page.nextCursor };
}

/** The budget period of a moment: its UTC month, "2026-12". */
export const llmPeriod = (at = new Date()) => at.toISOString().slice(0, 7);

/** The query's range, defaulted (the last 30 days) and checked. */
function usageRange(query: z.output<typeof LlmUsageQuerySchema>, now = Date.now()) {
  const to = query.to === undefined ? now : Date.parse(query.to);
  const from = query.from === undefined ? to - DEFAULT_RANGE_MS : Date.parse(query.from);
  if (from >= to) {
    throw new ApiError("VALIDATION_FAILED", "`from` must be before `to`.", {
      issues: [{ path: "from", message: "must be before `to`" }],
    });
  }
  if (to - from > MAX_RANGE_MS[query.bucket]) {
    const days = MAX_RANGE_MS[query.bucket] / DAY_MS;
    throw new ApiError(
      "VALIDATION_FAILED",
      `With ${query.bucket} buckets the range may span at most ${days} days; narrow it${query.bucket === "hour" ? " or use day buckets" : ""}.`,
      { issues: [{ path: "from", message: `at most ${days} days before \`to\`` }] },
    );
  }
  return { from, to };
}

const groupColumn = {
  model: sql<string>`${llmCalls.model}`,
  provider: sql<string>`coalesce(${llmCalls.provider}, '-')`,
  api_key: sql<string>`coalesce(${llmCalls.apiKeyId}, '-')`,
} as const;

const total = (column: SQLiteColumn) => sql<number>`coalesce(sum(${column}), 0)`;

/** Usage per bucket and group over the range, oldest bucket first, and this month's budget. */
export async function llmUsage(
  env: Env,
  companyId: string,
  query: z.output<typeof LlmUsageQuerySchema>,
): Promise<Omit<LlmUsage, "success">> {
  const { from, to } = usageRange(query);
  const orm = drizzle(await tenantDatabase(env, companyId));
  const size = query.bucket === "hour" ? HOUR_MS : DAY_MS;
  // The bucket width is one of two constants, inlined so the GROUP BY term is the selected one.
  const bucketStart = sql<number>`(${llmCalls.createdAt} / ${sql.raw(String(size))}) * ${sql.raw(String(size))}`;
  const group = groupColumn[query.group_by];
  const period = llmPeriod();
  const [rows, policy, spend] = await Promise.all([
    orm
      .select({
        bucketStart,
        group,
        requests: count(),
        inputTokens: total(llmCalls.inputTokens),
        cachedTokens: total(llmCalls.cachedTokens),
        outputTokens: total(llmCalls.outputTokens),
        cost: total(llmCalls.costUsdMicros),
      })
      .from(llmCalls)
      .where(and(gte(llmCalls.createdAt, from), lt(llmCalls.createdAt, to)))
      .groupBy(bucketStart, group)
      .orderBy(asc(bucketStart), asc(group)),
    llmPolicy(env, companyId),
    companyHub(env, companyId).llmSpend(companyId, period),
  ]);
  return {
    from: iso(from),
    to: iso(to),
    bucket: query.bucket,
    series: rows.map((row) => ({
      bucket_start: iso(row.bucketStart),
      group: row.group,
      requests: row.requests,
      input_tokens: row.inputTokens,
      cached_tokens: row.cachedTokens,
      output_tokens: row.outputTokens,
      cost_usd_micros: row.cost,
    })),
    budget: {
      period,
      budget_usd_micros: policy.budget_usd_micros,
      spent_usd_micros: spend.company,
      reserved_usd_micros: spend.reserved,
    },
  };
}
