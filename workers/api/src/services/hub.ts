import type { Context } from "hono";
import type { CompanyHub, HubResult } from "../durable-objects/company-hub.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { clearFeedCache } from "./updates/feed.ts";

/** The CompanyHub of a company: one object per company id, wherever the request lands. */
export function companyHub(env: Env, companyId: string): DurableObjectStub<CompanyHub> {
  return env.COMPANY_HUB.get(env.COMPANY_HUB.idFromName(companyId));
}

export function unwrap<T>(result: HubResult<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error.code, result.error.message, result.error.details);
}

/**
 * Tells a company's hub about an admin change after it is in D1. The change stands even if the hub
 * cannot be told right now: it reloads company state within minutes on its own, so the request
 * does not fail over it. Answers the hub's answer, or undefined when it could not be told.
 */
export async function notifyHub<T>(
  c: Context<AppEnv>,
  companyId: string,
  call: (hub: DurableObjectStub<CompanyHub>) => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call(companyHub(c.env, companyId));
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "warn",
        event: "hub_notify_failed",
        companyId,
        request_id: c.get("requestId"),
        error: String(error),
      }),
    );
    return undefined;
  }
}

/**
 * An operator changed a company: this isolate's feed forgets it, and its hub reloads it and tells
 * the connected installations. Answers how many got new settings (null: the hub was not reached).
 */
export async function companyChanged(c: Context<AppEnv>, companyId: string): Promise<number | null> {
  clearFeedCache();
  const answer = await notifyHub(c, companyId, (hub) => hub.companyChanged(companyId));
  return answer?.settingsPushedTo ?? null;
}
