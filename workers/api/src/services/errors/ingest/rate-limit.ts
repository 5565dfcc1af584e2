// The `error_events` rate limit: a token per envelope (or store request), per error project, in the
// company's CompanyHub with its tier's limit. A refusal is answered the way Sentry's SDKs back off
// from: 429 with `Retry-After` and `X-Sentry-Rate-Limits` (`<seconds>::<scope>`: every category).
import type { Context } from "hono";
import type { AppEnv } from "../../../env.ts";
import { ApiError } from "../../../lib/errors.ts";
import { companyHub } from "../../hub.ts";
import type { ErrorProjectKey } from "./project-keys.ts";
import { countRefusal } from "./refusal-counts.ts";

export async function limitErrorEvents(c: Context<AppEnv>, project: ErrorProjectKey): Promise<void> {
  const decision = await companyHub(c.env, project.companyId).rateLimit(
    project.companyId,
    "error_events",
    `error_project:${project.id}`,
  );
  const policy = `"error_events";q=${decision.limit};w=${decision.windowSeconds}`;
  const state = `"error_events";r=${decision.remaining};t=${decision.resetSeconds}`;
  if (decision.allowed) {
    c.header("RateLimit-Policy", policy);
    c.header("RateLimit", state);
    return;
  }
  await countRefusal(c.get("db"), project.id, "rateLimited");
  const retryAfter = String(Math.max(1, decision.retryAfterSeconds));
  throw new ApiError(
    "RATE_LIMITED",
    `Too many events for project ${project.id}: at most ${decision.limit} envelopes per ${decision.windowSeconds} s. Try again in ${retryAfter} s.`,
    {
      action: "retry",
      retry_after_seconds: Number(retryAfter),
      limit: decision.limit,
      window_seconds: decision.windowSeconds,
    },
    {
      "Retry-After": retryAfter,
      "X-Sentry-Rate-Limits": `${retryAfter}::project`,
      "RateLimit-Policy": policy,
      RateLimit: state,
    },
  );
}
