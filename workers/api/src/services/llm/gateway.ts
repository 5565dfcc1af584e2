// The LLM gateway's chat completion: the company's policy picks the model route, the hub admits the
// call against the per-minute limits and budgets, then the route's targets are tried in order — on a
// 429, a 5xx or a timeout the next one, never on a client error — and the answer is rendered in
// OpenAI's format (JSON here, a stream in stream.ts). Every call ends in one usage row (call.ts).
import type { ChatCompletion, ChatCompletionRequest, LlmModelRoute, LlmPolicy } from "@nexus/contracts";
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import type { ApiKeyCaller, InstallationCaller } from "../../middleware/caller.ts";
import { tenantDatabase } from "../tenant-db.ts";
import { admit } from "./admission.ts";
import { cachedCompletion, cacheKey, keepCompletion } from "./cache.ts";
import { type Attempt, estimatedUsage, finish, type GatewayCall, NO_USAGE } from "./call.ts";
import { chatInputFrom, completionView } from "./openai-format.ts";
import { llmPolicy } from "./policy.ts";
import { costOf, priceOf } from "./prices.ts";
import { adapterFor } from "./providers/index.ts";
import type { Completion, ProviderCall, ProviderFailure } from "./providers/types.ts";
import { cachedStream, completionStream } from "./stream.ts";
import { credentialFor, type GatewayTarget, targetsOf } from "./targets.ts";
import { estimateChatTokens } from "./tokens.ts";

type GatewayCaller = ApiKeyCaller | InstallationCaller;

function whoCalls(caller: GatewayCaller) {
  return caller.kind === "apiKey"
    ? { companyId: caller.key.companyId, apiKeyId: caller.key.id, installationId: null }
    : { companyId: caller.companyId, apiKeyId: null, installationId: caller.installationId };
}

/** The company's policy, checked for this caller: the gateway is on and lets this kind of caller in. */
export async function gatewayPolicy(env: Env, caller: GatewayCaller): Promise<LlmPolicy> {
  const policy = await llmPolicy(env, whoCalls(caller).companyId);
  if (!policy.enabled) {
    throw new ApiError(
      "FORBIDDEN",
      "The LLM gateway is turned off for this company; an owner can turn it on.",
    );
  }
  if (caller.kind === "installation" && !policy.allow_installations) {
    throw new ApiError(
      "FORBIDDEN",
      "This company does not let its installations call the LLM gateway; use a company API key with llm:use.",
    );
  }
  return policy;
}

function modelRoute(policy: LlmPolicy, model: string): LlmModelRoute {
  const route = policy.models.find((candidate) => candidate.name === model);
  if (route) return route;
  const offered = policy.models.map((m) => m.name);
  throw new ApiError(
    "MODEL_NOT_FOUND",
    offered.length > 0
      ? `The model "${model.slice(0, 100)}" is not offered to this company. Use one of: ${offered.slice(0, 20).join(", ")} (GET /api/llm/v1/models).`
      : "This company's LLM policy offers no models yet; an owner can add them.",
    { model: model.slice(0, 200) },
  );
}

const utcMonth = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/** The most the call can cost: its prompt and its output limit at the dearest of the route's targets. */
function reservation(call: GatewayCall, targets: GatewayTarget[]): { cost: number; tokens: number } {
  const inputTokens = estimateChatTokens(call.input.messages);
  const outputTokens = call.input.maxTokens ?? call.policy.default_max_tokens;
  const usage = { inputTokens, cachedTokens: 0, outputTokens };
  const cost = Math.max(...targets.map((t) => costOf(priceOf(t.provider, t.model), usage)));
  return { cost, tokens: inputTokens + outputTokens };
}

type Answered<T> = {
  target: GatewayTarget;
  answer: T;
  /** Stops the upstream request (a stream whose client went away). */
  abort: () => void;
};

/**
 * Tries the targets in order. A target whose breaker is open is skipped; a 429, a 5xx, a timeout or
 * a missing credential moves on to the next; any other failure is the caller's and ends the call.
 */
async function firstAnswer<T extends { ok: true }>(
  call: GatewayCall,
  targets: GatewayTarget[],
  open: ReadonlySet<string>,
  request: (target: GatewayTarget, providerCall: ProviderCall) => Promise<T | ProviderFailure>,
): Promise<Answered<T>> {
  const { c } = call;
  let refusal: ProviderFailure | null = null;
  for (const target of targets) {
    if (open.has(target.id)) {
      call.attempts.push({ target, status: 0, skipped: true, latencyMs: 0, breaker: null });
      continue;
    }
    const started = Date.now();
    const credential = await credentialFor(c.env, call.companyId, target);
    if (!credential.ok) {
      call.attempts.push({ target, status: 0, skipped: false, latencyMs: 0, breaker: null });
      console.warn(
        JSON.stringify({
          level: "warn",
          event: "llm_target_unusable",
          target: target.id,
          reason: credential.message,
        }),
      );
      continue;
    }
    // The timeout bounds the wait for an answer: a whole completion, or a stream's first bytes (a
    // long stream is not cut once it flows).
    const upstream = new AbortController();
    const timer = setTimeout(
      () => upstream.abort(new DOMException(`no answer within ${target.timeout_ms} ms`, "TimeoutError")),
      target.timeout_ms,
    );
    const providerCall: ProviderCall = {
      model: target.model,
      apiKey: credential.apiKey,
      baseUrl: credential.baseUrl,
      signal: upstream.signal,
      fetch: (input, init) => fetch(input, init),
      ...((c.env as { AI?: Ai }).AI ? { ai: (c.env as { AI?: Ai }).AI } : {}),
    };
    const answer = await request(target, providerCall).finally(() => clearTimeout(timer));
    const attempt: Attempt = {
      target,
      status: answer.ok ? 200 : answer.status,
      skipped: false,
      latencyMs: Date.now() - started,
      breaker: true,
    };
    call.attempts.push(attempt);
    if (answer.ok) return { target, answer, abort: () => upstream.abort() };
    attempt.breaker = answer.retryable ? false : null;
    if (!answer.retryable) {
      refusal = answer;
      break;
    }
  }
  throw failure(call, refusal);
}

/** Every target failed (or one refused the request): the call is logged and the caller told why. */
function failure(call: GatewayCall, refusal: ProviderFailure | null): ApiError {
  const tried = call.attempts.filter((a) => !a.skipped);
  const error = refusal
    ? refusal.status === 401 || refusal.status === 403
      ? new ApiError("UPSTREAM_UNAVAILABLE", `${refusal.message} Check the target's provider key.`)
      : new ApiError("UPSTREAM_BAD_REQUEST", refusal.message, { provider_status: refusal.status })
    : tried.length === 0 && call.attempts.length > 0
      ? new ApiError(
          "SERVICE_UNAVAILABLE",
          "Every target of this model is failing (circuit open). Try again in 30 s.",
          {
            action: "retry",
          },
        )
      : new ApiError(
          "UPSTREAM_UNAVAILABLE",
          "No target of this model answered (rate limited, failing or timed out).",
          {
            attempts: call.attempts.map((a) => ({
              provider: a.target.provider,
              model: a.target.model,
              status: a.status,
              skipped: a.skipped,
            })),
          },
        );
  finish(call, {
    status: "error",
    httpStatus: error.status,
    target: null,
    providerModel: null,
    usage: NO_USAGE,
    estimated: false,
    output: "",
  });
  return error;
}

export async function createChatCompletion(
  c: Context<AppEnv>,
  caller: GatewayCaller,
  request: ChatCompletionRequest,
): Promise<ChatCompletion | Response> {
  const who = whoCalls(caller);
  const policy = await gatewayPolicy(c.env, caller);
  const route = modelRoute(policy, request.model);
  const input = chatInputFrom(request);
  const startedAt = Date.now();
  const call: GatewayCall = {
    c,
    ...who,
    policy,
    request,
    input,
    head: { id: `chatcmpl-${newId()}`, created: Math.floor(startedAt / 1000), model: request.model },
    tenantDb: await tenantDatabase(c.env, who.companyId),
    reservationId: newId(),
    period: utcMonth(startedAt),
    startedAt,
    attempts: [],
  };
  const stream = request.stream === true;
  const key = policy.cache_enabled ? await cacheKey(request) : null;
  if (key) {
    const hit = await cachedCompletion(call.tenantDb, key, startedAt);
    if (hit) {
      const text = hit.choices[0]?.message.content ?? "";
      finish(call, {
        status: "cached",
        httpStatus: 200,
        target: null,
        providerModel: null,
        usage: NO_USAGE,
        estimated: false,
        output: text,
      });
      const answer = { ...hit, id: call.head.id, created: call.head.created, model: call.head.model };
      return stream ? cachedStream(call, answer) : answer;
    }
  }
  const targets = targetsOf(route);
  const admission = await admit(
    c,
    call.companyId,
    {
      reservationId: call.reservationId,
      period: call.period,
      ...reservation(call, targets),
      keyId: call.apiKeyId,
      companyBudget: policy.budget_usd_micros,
      keyBudget:
        policy.api_key_budgets.find((b) => b.api_key_id === call.apiKeyId)?.budget_usd_micros ?? null,
      requestsPerMinute: policy.requests_per_minute,
      tokensPerMinute: policy.tokens_per_minute,
      targets: targets.map((t) => t.id),
    },
    call.installationId,
  );
  const open = new Set(admission.open);
  if (stream) {
    const { target, answer, abort } = await firstAnswer(call, targets, open, (t, providerCall) =>
      adapterFor(t.provider).stream(providerCall, input),
    );
    return completionStream(call, { target, events: answer.events, abort, cacheKey: key });
  }
  const { target, answer } = await firstAnswer<Completion>(call, targets, open, (t, providerCall) =>
    adapterFor(t.provider).complete(providerCall, input),
  );
  const usage = answer.usage ?? estimatedUsage(input, answer.text);
  const completion = completionView(call.head, answer.text, answer.finishReason, usage);
  finish(call, {
    status: "ok",
    httpStatus: 200,
    target,
    providerModel: answer.providerModel,
    usage,
    estimated: answer.usage === null,
    output: answer.text,
  });
  if (key && answer.usage) {
    keepCompletion(c.executionCtx, call.tenantDb, {
      key,
      model: request.model,
      completion,
      ttlSeconds: policy.cache_ttl_seconds,
    });
  }
  return completion;
}
