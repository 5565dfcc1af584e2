import type { ServerMessage } from "@nexus/contracts";
import type { Context } from "hono";
import { forgetIdentities } from "../auth/identity-cache.ts";
import type { CompanyHub } from "../durable-objects/company-hub.ts";
import type { HubResult } from "../durable-objects/hub-result.ts";
import { type Audience, LIVE_IDENTITY_HEADER, type SocketIdentity } from "../durable-objects/hub-sockets.ts";
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
  // After the company's write committed: cached memberships hold its row (suspension included).
  clearFeedCache();
  forgetIdentities();
  const answer = await notifyHub(c, companyId, (hub) => hub.companyChanged(companyId));
  return answer?.settingsPushedTo ?? null;
}

/** Who a live socket belongs to, as the API worker authenticated it (the hub stamps the time). */
export type LiveIdentity = Omit<SocketIdentity, "connectedAt">;

// What the hub may answer instead of accepting the socket.
const LIVE_REFUSALS = [
  "COMPANY_SUSPENDED",
  "SUBSCRIPTION_EXPIRED",
  "COMPANY_NOT_FOUND",
  "INSTALLATION_DEACTIVATED",
] as const;

/**
 * Hands an authenticated upgrade to the company's hub, which holds the socket: the 101 it answers,
 * or its refusal as the API's error.
 */
export async function openLiveSocket(env: Env, url: string, identity: LiveIdentity): Promise<Response> {
  const upgrade = new Request(url, {
    headers: { upgrade: "websocket", [LIVE_IDENTITY_HEADER]: JSON.stringify(identity) },
  });
  const response = await companyHub(env, identity.companyId).fetch(upgrade);
  if (response.status === 101) return response;
  const refusal = (await response.json().catch(() => ({}))) as {
    code?: string;
    message?: string;
    details?: Record<string, unknown>;
  };
  const code = LIVE_REFUSALS.find((known) => known === refusal.code) ?? "INSTALLATION_DEACTIVATED";
  throw new ApiError(code, refusal.message ?? "The live connection was refused.", refusal.details);
}

/**
 * Pushes a frame to every open socket of these users (in-app notifications: `notification.new`).
 * Answers the users who had a socket open; a hub that cannot be reached answers none (the inbox
 * still holds the message), logged, never thrown.
 */
export async function notifyUsers(
  env: Env,
  companyId: string,
  userIds: string[],
  message: ServerMessage,
): Promise<string[]> {
  if (userIds.length === 0) return [];
  try {
    return await companyHub(env, companyId).sendToUsers(companyId, userIds, message);
  } catch (error) {
    console.error(
      JSON.stringify({ level: "warn", event: "hub_notify_users_failed", companyId, error: String(error) }),
    );
    return [];
  }
}

/** Pushes a frame to an audience decided now (project readers, these users); answers the users reached. */
export async function sendToAudience(
  env: Env,
  companyId: string,
  audience: Audience,
  message: ServerMessage,
): Promise<string[]> {
  try {
    return await companyHub(env, companyId).sendToAudience(companyId, audience, message);
  } catch (error) {
    console.error(
      JSON.stringify({ level: "warn", event: "hub_send_failed", companyId, error: String(error) }),
    );
    return [];
  }
}
