// The Standard Webhooks signature scheme (https://www.standardwebhooks.com): HMAC-SHA256 over
// `${id}.${timestamp}.${body}` with a `whsec_<base64 key>` secret; the `webhook-signature` header
// lists `v1,<base64>` signatures separated by spaces, one per secret in use (so a receiver keeps
// verifying while a secret rotates). We sign outbound deliveries with it and verify inbound ones.
import { anyEqual, hmac } from "./compare.ts";
import { base64, fromBase64 } from "./encoding.ts";

export const WEBHOOK_SECRET_PREFIX = "whsec_";
/** How far a signed timestamp may be from our clock, either way (the spec's recommendation). */
export const STANDARD_WEBHOOK_TOLERANCE_SECONDS = 300;

/** A new signing secret: 24 random bytes, as the reference libraries generate. */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + base64(crypto.getRandomValues(new Uint8Array(24)));
}

/** The key bytes of a `whsec_` secret, or null if it is not one. */
export function webhookSecretKey(secret: string): Uint8Array | null {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return null;
  try {
    const key = fromBase64(secret.slice(WEBHOOK_SECRET_PREFIX.length));
    return key.byteLength >= 16 ? key : null;
  } catch {
    return null;
  }
}

async function signature(key: Uint8Array, id: string, timestamp: number, body: string): Promise<string> {
  return `v1,${base64(await hmac(key, `${id}.${timestamp}.${body}`))}`;
}

/** The `webhook-signature` header value: one `v1` signature per secret (current first). */
export async function signStandardWebhook(
  secrets: string[],
  message: { id: string; timestamp: number; body: string },
): Promise<string> {
  const signatures = await Promise.all(
    secrets.map((secret) => {
      const key = webhookSecretKey(secret);
      if (!key) throw new Error("not a whsec_ secret");
      return signature(key, message.id, message.timestamp, message.body);
    }),
  );
  return signatures.join(" ");
}

export type WebhookVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Verifies a Standard Webhooks request against any of `secrets`. The reason is for the sender's
 * operator (what to fix), never a hint at the expected signature.
 */
export async function verifyStandardWebhook(
  secrets: string[],
  headers: { id: string | undefined; timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<WebhookVerdict> {
  const { id, timestamp, signature: header } = headers;
  if (!id || !timestamp || !header) {
    return { ok: false, reason: "webhook-id, webhook-timestamp and webhook-signature headers are required" };
  }
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!Number.isFinite(seconds) || Math.abs(nowSeconds - seconds) > STANDARD_WEBHOOK_TOLERANCE_SECONDS) {
    return { ok: false, reason: "webhook-timestamp is missing, malformed or more than 5 minutes off" };
  }
  const given = header
    .split(" ")
    .filter((entry) => entry.startsWith("v1,"))
    .map((entry) => entry.slice(3));
  for (const secret of secrets) {
    const key = webhookSecretKey(secret);
    if (!key) continue;
    const expected = (await signature(key, id, seconds, body)).slice(3);
    const matched = anyEqual(given, expected);
    if (matched) return { ok: true };
  }
  return { ok: false, reason: "no webhook-signature matches the configured secret" };
}
