// Web push subscriptions (RFC 8030 endpoint, RFC 8291 keys) of the caller's browsers and mobile
// apps. The keys are the browser's PushSubscription.toJSON().keys: base64url, a 65-byte uncompressed
// P-256 point and a 16-byte auth secret.
import { z } from "zod";
import { IsoDateSchema } from "../shared/common.ts";

/** Bytes of a base64url string (padding allowed), or null when it is not base64url. */
export function base64UrlByteLength(value: string): number | null {
  const match = /^([A-Za-z0-9_-]*)(={0,2})$/.exec(value);
  if (!match) return null;
  const chars = match[1]?.length ?? 0;
  if (chars % 4 === 1) return null;
  return Math.floor((chars * 3) / 4);
}

const base64UrlKey = (bytes: number, what: string) =>
  z
    .string()
    .max(200)
    .refine((value) => base64UrlByteLength(value) === bytes, `${what}: base64url of exactly ${bytes} bytes`);

export const PushSubscriptionKeysSchema = z.strictObject({
  /** The browser's P-256 public key, uncompressed (65 bytes, first byte 0x04). */
  p256dh: base64UrlKey(65, "p256dh").refine(
    (value) => value.startsWith("B"),
    "p256dh: an uncompressed P-256 point (its first byte is 0x04)",
  ),
  /** The 16-byte authentication secret. */
  auth: base64UrlKey(16, "auth"),
});

export const PUSH_SUBSCRIPTION_KINDS = ["browser", "mobile"] as const;

export const CreatePushSubscriptionRequestSchema = z
  .strictObject({
    /** The push service URL (https; http only on local hosts in development). */
    endpoint: z.url().max(2048),
    keys: PushSubscriptionKeysSchema,
    /** `mobile`: the installer app, which also gets "sync now" pushes. */
    kind: z.enum(PUSH_SUBSCRIPTION_KINDS).default("browser"),
    user_agent: z.string().max(300).optional(),
  })
  .meta({ id: "CreatePushSubscriptionRequest" });
export type CreatePushSubscriptionRequest = z.infer<typeof CreatePushSubscriptionRequestSchema>;

export const PushSubscriptionSchema = z
  .object({
    id: z.string(),
    endpoint: z.string(),
    kind: z.enum(PUSH_SUBSCRIPTION_KINDS),
    user_agent: z.string().nullable(),
    created_at: IsoDateSchema,
    last_success_at: IsoDateSchema.nullable(),
  })
  .meta({ id: "PushSubscription" });
export type PushSubscription = z.infer<typeof PushSubscriptionSchema>;

export const PushSubscriptionResponseSchema = z
  .object({ success: z.literal(true), subscription: PushSubscriptionSchema })
  .meta({ id: "PushSubscriptionResponse" });

export const PushSubscriptionListSchema = z
  .object({ success: z.literal(true), subscriptions: z.array(PushSubscriptionSchema) })
  .meta({ id: "PushSubscriptionList" });

/** The VAPID public key (base64url, RFC 8292) browsers pass as `applicationServerKey`; null: push is not configured. */
export const VapidPublicKeySchema = z
  .object({ success: z.literal(true), public_key: z.string().nullable() })
  .meta({ id: "VapidPublicKey" });
