// The delivery webhooks the stand-ins would send, signed as the real providers sign them. Kept for
// tests to read (GET /_stand-in/webhooks) and forward to the worker; with a callback origin set
// (pnpm dev), also posted to the API shortly after the message was accepted.
import { createHmac, randomBytes } from "node:crypto";

export interface StandInWebhook {
  provider: "resend" | "twilio";
  /** The provider's message id (Resend email id, Twilio message SID) the event is about. */
  provider_message_id: string;
  /** Where the real provider would post it. */
  url: string;
  headers: Record<string, string>;
  body: string;
  created_at: string;
}

const kept: StandInWebhook[] = [];
/** Webhooks kept per process; older ones fall off (tests read theirs within seconds). */
const MAX_KEPT = 2000;
let callbackOrigin: string | null = null;

/** Where webhooks are posted besides being kept (null: only kept). `pnpm dev` sets the API's origin. */
export function setCallbackOrigin(origin: string | null): void {
  callbackOrigin = origin;
}

export function keptWebhooks(filter: {
  provider?: string | null;
  messageId?: string | null;
}): StandInWebhook[] {
  return kept.filter(
    (hook) =>
      (!filter.provider || hook.provider === filter.provider) &&
      (!filter.messageId || hook.provider_message_id === filter.messageId),
  );
}

function keep(hook: StandInWebhook): void {
  kept.push(hook);
  if (kept.length > MAX_KEPT) kept.splice(0, kept.length - MAX_KEPT);
  if (!callbackOrigin) return;
  const target =
    hook.provider === "twilio" ? rebase(hook.url, callbackOrigin) : `${callbackOrigin}${hook.url}`;
  // After the API has had time to record the send, as a real provider's callback would arrive.
  setTimeout(() => {
    fetch(target, { method: "POST", headers: hook.headers, body: hook.body }).catch((error: unknown) => {
      console.error(
        `notify stand-in: posting the ${hook.provider} webhook to ${target} failed: ${String(error)}`,
      );
    });
  }, 250).unref?.();
}

/** Twilio posts to the StatusCallback URL the API gave; in dev it already names the API's origin. */
function rebase(url: string, origin: string): string {
  return url.startsWith("http") ? url : `${origin}${url}`;
}

/** Resend's webhooks: Svix headers, HMAC-SHA256 over `${id}.${timestamp}.${body}` with the whsec_ key. */
export function keepResendWebhook(secret: string, emailId: string, event: Record<string, unknown>): void {
  const body = JSON.stringify(event);
  const id = `msg_${randomBytes(12).toString("hex")}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  keep({
    provider: "resend",
    provider_message_id: emailId,
    url: "/api/notifications/providers/resend/events",
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": timestamp,
      "svix-signature": `v1,${signature}`,
    },
    body,
    created_at: new Date().toISOString(),
  });
}

/** Twilio's status callback: form-encoded, X-Twilio-Signature = base64 HMAC-SHA1(URL + sorted params). */
export function keepTwilioWebhook(authToken: string, url: string, params: Record<string, string>): void {
  const sorted = Object.keys(params)
    .sort()
    .map((key) => key + params[key])
    .join("");
  const signature = createHmac("sha1", authToken)
    .update(url + sorted)
    .digest("base64");
  keep({
    provider: "twilio",
    provider_message_id: params.MessageSid ?? "",
    url,
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
    body: new URLSearchParams(params).toString(),
    created_at: new Date().toISOString(),
  });
}
