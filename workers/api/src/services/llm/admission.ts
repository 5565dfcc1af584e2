// A gateway call's dealings with its company's hub: admission before any provider is called
// (requests and tokens per minute, the company's and the key's budget, which targets' breakers are
// open) and settlement when it is over (the actual cost replaces the reservation, the attempts feed
// the breakers). The RateLimit headers carry both per-minute limits.
import type { Context } from "hono";
import type { LlmAdmission, LlmBeginRequest, LlmSettlement } from "../../durable-objects/hub-llm.ts";
import type { RateLimitDecision } from "../../durable-objects/token-buckets.ts";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { companyHub, unwrap } from "../hub.ts";

function rateLimitHeaders(limits: { name: string; decision: RateLimitDecision }[]): Record<string, string> {
  return {
    "RateLimit-Policy": limits
      .map(({ name, decision: d }) => `"${name}";q=${d.limit};w=${d.windowSeconds}`)
      .join(", "),
    RateLimit: limits
      .map(({ name, decision: d }) => `"${name}";r=${d.remaining};t=${d.resetSeconds}`)
      .join(", "),
  };
}

/** Admits the call or throws its refusal (429 with Retry-After and the RateLimit headers). */
export async function admit(
  c: Context<AppEnv>,
  companyId: string,
  request: LlmBeginRequest,
  installationId: string | null,
): Promise<LlmAdmission> {
  let admission: LlmAdmission;
  try {
    admission = unwrap(await companyHub(c.env, companyId).llmBegin(companyId, request, installationId));
  } catch (error) {
    const decision =
      error instanceof ApiError ? (error.details?.decision as RateLimitDecision | undefined) : undefined;
    if (!(error instanceof ApiError) || !decision) throw error;
    const { decision: _, ...details } = error.details ?? {};
    const name = String(details.rate_limit ?? "llm_rpm");
    throw new ApiError(error.code, error.message, details, {
      "Retry-After": String(decision.retryAfterSeconds),
      ...rateLimitHeaders([{ name, decision }]),
    });
  }
  const headers = rateLimitHeaders([
    { name: "llm_rpm", decision: admission.rateLimit },
    { name: "llm_tpm", decision: admission.tokenLimit },
  ]);
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return admission;
}

/**
 * Settles the call in the hub. Runs after the answer (waitUntil), so a hub that cannot be reached
 * is logged, never the caller's error: its reservation is released by the hub after 15 minutes.
 */
export async function settle(env: Env, companyId: string, settlement: LlmSettlement, requestId: string) {
  try {
    await companyHub(env, companyId).llmEnd(companyId, settlement);
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        event: "llm_settle_failed",
        companyId,
        request_id: requestId,
        error: String(error),
      }),
    );
  }
}
