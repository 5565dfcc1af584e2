// One gateway call from admission to its usage row: what the JSON and the streaming paths share.
// Whatever the outcome (an answer, a refusal by every target, a cut stream), `finish` settles the
// hub's reservation and writes exactly one usage row, after the answer (waitUntil).
import type { ChatCompletionRequest, LlmCall, LlmPolicy } from "@nexus/contracts";
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { newId } from "../../lib/ids.ts";
import { settle } from "./admission.ts";
import { recordLlmCall, storedContent } from "./call-log.ts";
import type { CompletionHead } from "./openai-format.ts";
import { costOf, PRICE_VERSION, priceOf } from "./prices.ts";
import type { ChatInput, TokenUsage } from "./providers/types.ts";
import type { GatewayTarget } from "./targets.ts";
import { estimateChatTokens, estimateTokens } from "./tokens.ts";

export interface Attempt {
  target: GatewayTarget;
  /** The provider's HTTP status; 0: timeout, network error, or no credential. */
  status: number;
  skipped: boolean;
  latencyMs: number;
  /** Reported to the target's breaker: true on success, false on a failure that falls back. */
  breaker: boolean | null;
}

export interface GatewayCall {
  c: Context<AppEnv>;
  companyId: string;
  apiKeyId: string | null;
  installationId: string | null;
  policy: LlmPolicy;
  request: ChatCompletionRequest;
  input: ChatInput;
  head: CompletionHead;
  tenantDb: D1Database;
  reservationId: string;
  period: string;
  startedAt: number;
  attempts: Attempt[];
}

export interface CallOutcome {
  status: LlmCall["status"];
  httpStatus: number;
  /** The target that answered (none when every one failed, or for a cache hit). */
  target: GatewayTarget | null;
  providerModel: string | null;
  usage: TokenUsage;
  estimated: boolean;
  output: string;
}

export const NO_USAGE: TokenUsage = { inputTokens: 0, cachedTokens: 0, outputTokens: 0 };

/** The gateway's own count, for a provider that sent none (a cut stream, Workers AI at times). */
export function estimatedUsage(input: ChatInput, output: string): TokenUsage {
  return {
    inputTokens: estimateChatTokens(input.messages),
    cachedTokens: 0,
    outputTokens: estimateTokens(output),
  };
}

export function attemptViews(attempts: Attempt[]): LlmCall["attempts"] {
  return attempts.map((a) => ({
    provider: a.target.provider,
    model: a.target.model,
    status: a.status,
    skipped: a.skipped,
    latency_ms: a.latencyMs,
  }));
}

function promptText(input: ChatInput): string {
  return input.messages.map((m) => `${m.role}: ${m.content}`).join("\n\n");
}

/** Settles the hub and writes the usage row, after the answer; errors are logged, never thrown. */
export function finish(call: GatewayCall, outcome: CallOutcome): void {
  const { c, policy, target } = { ...call, target: outcome.target };
  const cost = target ? costOf(priceOf(target.provider, target.model), outcome.usage) : 0;
  const now = Date.now();
  const requestId = c.get("requestId");
  const stored = policy.store_content;
  const row = {
    // Time-ordered by the call's start, as the call log pages by id.
    id: newId(call.startedAt),
    requestId,
    createdAt: call.startedAt,
    model: call.request.model,
    provider: target?.provider ?? null,
    providerModel: outcome.providerModel,
    keySource: target?.keySource ?? null,
    apiKeyId: call.apiKeyId,
    installationId: call.installationId,
    fallbackStep: target?.step ?? null,
    attempts: attemptViews(call.attempts),
    stream: call.request.stream === true,
    status: outcome.status,
    httpStatus: outcome.httpStatus,
    inputTokens: outcome.usage.inputTokens,
    cachedTokens: outcome.usage.cachedTokens,
    outputTokens: outcome.usage.outputTokens,
    costUsdMicros: cost,
    priceVersion: PRICE_VERSION,
    latencyMs: now - call.startedAt,
    estimated: outcome.estimated,
    prompt: stored ? storedContent(promptText(call.input)) : null,
    output: stored ? storedContent(outcome.output) : null,
    contentExpiresAt: stored ? now + policy.content_retention_days * 86_400_000 : null,
  };
  const settlement = {
    reservationId: call.reservationId,
    period: call.period,
    keyId: call.apiKeyId,
    cost,
    tokens: outcome.usage.inputTokens + outcome.usage.outputTokens,
    attempts: call.attempts.flatMap((a) =>
      a.breaker === null ? [] : [{ target: a.target.id, ok: a.breaker }],
    ),
  };
  // One line per call for the platform's log search: what happened and what it cost, never the key,
  // the prompt or the output.
  console.log(
    JSON.stringify({
      level: "info",
      event: "llm_call",
      request_id: requestId,
      company_id: call.companyId,
      model: row.model,
      target: target?.id ?? null,
      status: row.status,
      http_status: row.httpStatus,
      attempts: row.attempts.map((a) => `${a.provider}/${a.model}:${a.skipped ? "skipped" : a.status}`),
      tokens: [row.inputTokens, row.cachedTokens, row.outputTokens],
      cost_usd_micros: cost,
      latency_ms: row.latencyMs,
    }),
  );
  const record = recordLlmCall(call.tenantDb, row).catch((error: unknown) => {
    console.error(
      JSON.stringify({
        level: "error",
        event: "llm_call_log_failed",
        request_id: requestId,
        error: String(error),
      }),
    );
  });
  // A cache hit was never admitted by the hub: it holds no reservation to settle.
  const settled = outcome.status === "cached" ? null : settle(c.env, call.companyId, settlement, requestId);
  c.executionCtx.waitUntil(Promise.all([record, settled]));
}
