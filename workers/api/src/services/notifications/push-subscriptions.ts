// A user's web push subscriptions. The endpoint is unique: a browser registering it again (after a
// key rotation, or under another user who signed in on it) updates the one row and moves it to them,
// so a shared browser never pushes the previous user's notifications.
import type { CreatePushSubscriptionRequest, PushSubscription } from "@nexus/contracts";
import { newId } from "@nexus/db";
import { pushSubscriptions } from "@nexus/db/tenant";
import { endpointUrlProblem } from "@nexus/security";
import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Config } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";

type SubscriptionRow = typeof pushSubscriptions.$inferSelect;

export function toPushSubscriptionView(row: SubscriptionRow): PushSubscription {
  return {
    id: row.id,
    endpoint: row.endpoint,
    kind: row.kind === "mobile" ? "mobile" : "browser",
    user_agent: row.userAgent,
    created_at: new Date(row.createdAt).toISOString(),
    last_success_at: row.lastSuccessAt === null ? null : new Date(row.lastSuccessAt).toISOString(),
  };
}

export async function ownPushSubscriptions(db: D1Database, recipientKey: string): Promise<SubscriptionRow[]> {
  return drizzle(db)
    .select()
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.recipientKey, recipientKey))
    .orderBy(desc(pushSubscriptions.createdAt));
}

/**
 * The push service URL goes through the webhook URL policy: the consumer will POST to it, so a
 * subscription must not point the platform at internal hosts (http on local hosts in development only).
 */
function requireAllowedEndpoint(config: Config, endpoint: string): void {
  const problem = endpointUrlProblem(endpoint, config.WEBHOOK_URL_POLICY);
  if (problem) {
    throw new ApiError("WEBHOOK_URL_NOT_ALLOWED", `The push endpoint ${problem}.`, {
      url_policy: config.WEBHOOK_URL_POLICY,
    });
  }
}

export async function savePushSubscription(
  db: D1Database,
  config: Config,
  recipientKey: string,
  input: CreatePushSubscriptionRequest,
  now = Date.now(),
): Promise<SubscriptionRow> {
  requireAllowedEndpoint(config, input.endpoint);
  const fields = {
    recipientKey,
    p256dh: input.keys.p256dh,
    auth: input.keys.auth,
    kind: input.kind,
    userAgent: input.user_agent ?? null,
  };
  const [row] = await drizzle(db)
    .insert(pushSubscriptions)
    .values({ id: newId(now), endpoint: input.endpoint, createdAt: now, ...fields })
    .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: fields })
    .returning();
  if (!row) throw new Error("push subscription upsert returned no row");
  return row;
}

export async function deletePushSubscription(
  db: D1Database,
  recipientKey: string,
  id: string,
): Promise<void> {
  const deleted = await drizzle(db)
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.id, id), eq(pushSubscriptions.recipientKey, recipientKey)))
    .returning({ id: pushSubscriptions.id });
  if (deleted.length === 0) {
    throw new ApiError("PUSH_SUBSCRIPTION_NOT_FOUND", `You have no push subscription with the id ${id}.`);
  }
}
