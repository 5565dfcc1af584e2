// Web Push (RFC 8030) to every subscription of the recipient: the payload encrypted per subscription
// (aes128gcm.ts), the request signed with VAPID (vapid.ts). A push service that answers 404 or 410
// has dropped the subscription (the browser unsubscribed, the app was removed): it is deleted here,
// as every push library does. The message counts as sent when at least one subscription took it.
import { pushSubscriptions } from "@nexus/db/tenant";
import { eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { encryptPushPayload, MAX_PLAINTEXT_BYTES, PushKeyError } from "./aes128gcm.ts";
import {
  httpFailure,
  type NotificationProvider,
  type OutgoingMessage,
  type ProviderOutcome,
  thrownFailure,
} from "./types.ts";
import { type VapidKeys, vapidAuthorization } from "./vapid.ts";

export interface WebPushOptions {
  db: D1Database;
  vapid: VapidKeys;
  fetch?: typeof fetch;
  now?: () => number;
}

/** What the service worker (or the mobile sync client) receives, as JSON. */
export function pushPayload(message: OutgoingMessage): Uint8Array {
  const encoder = new TextEncoder();
  const data = {
    id: message.id,
    workflow: message.workflowKey,
    category: message.category,
    title: message.subject ?? "",
    body: message.body,
    data: message.payload,
  };
  let bytes = encoder.encode(JSON.stringify(data));
  if (bytes.byteLength <= MAX_PLAINTEXT_BYTES) return bytes;
  // Too big for one record: the app fetches the full message by id (the inbox / history API).
  bytes = encoder.encode(
    JSON.stringify({ ...data, body: [...message.body].slice(0, 200).join(""), data: {}, truncated: true }),
  );
  return bytes;
}

const GONE = new Set([404, 410]);

export function webPushProvider(options: WebPushOptions): NotificationProvider {
  const send = options.fetch ?? fetch;
  const orm = drizzle(options.db);
  return {
    name: "webpush",
    async send(message) {
      const subscriptions = await orm
        .select()
        .from(pushSubscriptions)
        .where(eq(pushSubscriptions.recipientKey, message.recipientKey));
      if (subscriptions.length === 0) return { outcome: "skipped", reason: "no push subscriptions" };
      const payload = pushPayload(message);
      const results = await Promise.all(
        subscriptions.map(async (subscription): Promise<{ id: string; result: ProviderOutcome }> => {
          try {
            const body = await encryptPushPayload(payload, subscription);
            const response = await send(subscription.endpoint, {
              method: "POST",
              headers: {
                authorization: await vapidAuthorization(options.vapid, subscription.endpoint),
                "content-encoding": "aes128gcm",
                "content-type": "application/octet-stream",
                ttl: String(message.critical ? 4 * 7 * 86_400 : 86_400),
                urgency: message.critical ? "high" : "normal",
              },
              body,
            });
            await response.body?.cancel();
            if (response.ok) {
              return {
                id: subscription.id,
                result: {
                  outcome: "sent",
                  providerMessageId: response.headers.get("location"),
                  httpStatus: response.status,
                },
              };
            }
            return {
              id: subscription.id,
              result: httpFailure(response.status, `push service answered HTTP ${response.status}`),
            };
          } catch (error) {
            if (error instanceof PushKeyError) {
              return {
                id: subscription.id,
                result: { outcome: "failed", error: error.message, httpStatus: null, permanent: true },
              };
            }
            return { id: subscription.id, result: thrownFailure(error) };
          }
        }),
      );
      const gone = results.filter(
        ({ result }) =>
          result.outcome === "failed" && result.httpStatus !== null && GONE.has(result.httpStatus),
      );
      if (gone.length > 0) {
        await orm.delete(pushSubscriptions).where(
          inArray(
            pushSubscriptions.id,
            gone.map(({ id }) => id),
          ),
        );
      }
      const delivered = results.filter(({ result }) => result.outcome === "sent");
      if (delivered.length > 0) {
        await orm
          .update(pushSubscriptions)
          .set({ lastSuccessAt: (options.now ?? Date.now)() })
          .where(
            inArray(
              pushSubscriptions.id,
              delivered.map(({ id }) => id),
            ),
          );
        const first = delivered[0]?.result;
        return {
          outcome: "sent",
          providerMessageId: first?.outcome === "sent" ? first.providerMessageId : null,
          httpStatus: first?.outcome === "sent" ? first.httpStatus : null,
        };
      }
      if (gone.length === results.length)
        return { outcome: "skipped", reason: "every push subscription has expired (removed)" };
      const failures = results.flatMap(({ result }) => (result.outcome === "failed" ? [result] : []));
      const retryable = failures.find((failure) => !failure.permanent);
      const reported = retryable ?? failures[0];
      return {
        outcome: "failed",
        error: `${failures.length} of ${results.length} subscriptions failed: ${reported?.error ?? "unknown"}`,
        httpStatus: reported?.httpStatus ?? null,
        permanent: retryable === undefined,
      };
    },
  };
}
