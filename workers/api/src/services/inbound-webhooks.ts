// Signature checks for inbound webhooks, one per sender scheme, over the raw body and before any
// parsing. Each returns the sender's event id, the key that makes a replay a no-op. All comparisons
// are constant-time; failures say what to check without hinting at the expected value.
import { anyEqual, base64, hex, hmac, sha256Hex, verifyStandardWebhook } from "@nexus/security";
import type { Config } from "../env.ts";
import { ApiError } from "../lib/errors.ts";

/** Stripe's default tolerance: a signed timestamp older (or newer) than this is refused. */
export const STRIPE_TOLERANCE_SECONDS = 300;

export interface InboundRequest {
  /** The URL the sender called (Twilio signs it). */
  url: string;
  headers: Headers;
  body: string;
}

export interface VerifiedInbound {
  eventId: string;
  eventType: string | null;
}

type Verifier = (request: InboundRequest, nowSeconds: number) => Promise<VerifiedInbound>;

function invalid(message: string): ApiError {
  return new ApiError("WEBHOOK_SIGNATURE_INVALID", message);
}

/** The body as JSON after its signature was checked; a signed body that is not JSON is a 400. */
function signedJson(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through
  }
  throw new ApiError("VALIDATION_FAILED", "The webhook body is not a JSON object.");
}

const stringField = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : null);

/** `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`: HMAC-SHA256 of `${t}.${body}`. */
function stripe(secrets: string[]): Verifier {
  return async ({ headers, body }, nowSeconds) => {
    const header = headers.get("stripe-signature") ?? "";
    const parts = header.split(",").map((part) => part.trim().split("="));
    const timestamp = parts.find(([key]) => key === "t")?.[1] ?? "";
    const given = parts.filter(([key]) => key === "v1").map(([, value]) => value ?? "");
    if (!/^\d{1,12}$/.test(timestamp) || given.length === 0) {
      throw invalid("Stripe-Signature is missing or has no t= and v1= parts.");
    }
    if (Math.abs(nowSeconds - Number(timestamp)) > STRIPE_TOLERANCE_SECONDS) {
      throw invalid("The Stripe-Signature timestamp is more than 5 minutes off; the event may be a replay.");
    }
    let matched = false;
    for (const secret of secrets) {
      if (anyEqual(given, hex(await hmac(secret, `${timestamp}.${body}`)))) matched = true;
    }
    if (!matched) throw invalid("No v1 signature matches STRIPE_WEBHOOK_SECRET.");
    const event = signedJson(body);
    const eventId = stringField(event.id);
    if (!eventId) throw new ApiError("VALIDATION_FAILED", "The Stripe event has no id.");
    return { eventId, eventType: stringField(event.type) };
  };
}

/** `X-Hub-Signature-256: sha256=<hex>` of the body; the delivery id is `X-GitHub-Delivery`. */
function github(secret: string): Verifier {
  return async ({ headers, body }) => {
    const header = headers.get("x-hub-signature-256") ?? "";
    if (!header.startsWith("sha256=")) throw invalid("X-Hub-Signature-256 is missing.");
    if (!anyEqual([header.slice(7)], hex(await hmac(secret, body)))) {
      throw invalid("X-Hub-Signature-256 does not match GITHUB_WEBHOOK_SECRET.");
    }
    const eventId = headers.get("x-github-delivery");
    if (!eventId) throw new ApiError("VALIDATION_FAILED", "X-GitHub-Delivery is missing.");
    return { eventId: eventId.slice(0, 200), eventType: headers.get("x-github-event") };
  };
}

/** The URL with its default port added, or removed if present: Twilio may have signed either. */
function portVariants(url: string): string[] {
  const parsed = new URL(url);
  const defaultPort = parsed.protocol === "https:" ? "443" : "80";
  const withPort = `${parsed.protocol}//${parsed.hostname}:${parsed.port || defaultPort}${parsed.pathname}${parsed.search}`;
  const withoutPort = `${parsed.protocol}//${parsed.hostname}${parsed.port && parsed.port !== defaultPort ? `:${parsed.port}` : ""}${parsed.pathname}${parsed.search}`;
  return [url, withPort, withoutPort];
}

/**
 * `X-Twilio-Signature`: base64 HMAC-SHA1 of the URL followed by the form parameters sorted by name
 * (name then value, concatenated). JSON bodies are signed over the URL alone, which carries a
 * `bodySHA256` parameter with the body's hash.
 */
function twilio(authToken: string): Verifier {
  return async ({ url, headers, body }) => {
    const given = headers.get("x-twilio-signature");
    if (!given) throw invalid("X-Twilio-Signature is missing.");
    const bodyHash = new URL(url).searchParams.get("bodySHA256");
    const params = bodyHash === null ? [...new URLSearchParams(body)] : [];
    if (bodyHash !== null && !anyEqual([bodyHash], await sha256Hex(body))) {
      throw invalid("bodySHA256 does not match the body.");
    }
    const signedParams = params
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => key + value)
      .join("");
    const expected = await Promise.all(
      portVariants(url).map(async (variant) =>
        base64(await hmac(authToken, variant + signedParams, "SHA-1")),
      ),
    );
    const matched = expected.map((candidate) => anyEqual([given], candidate)).includes(true);
    if (!matched) throw invalid("X-Twilio-Signature does not match TWILIO_AUTH_TOKEN and this URL.");
    // Twilio resends with the same idempotency token; without one, identical requests are one event.
    const eventId = headers.get("i-twilio-idempotency-token") ?? `sha256:${await sha256Hex(url + body)}`;
    const type = params.find(([key]) => key === "MessageStatus" || key === "CallStatus")?.[1] ?? null;
    return { eventId: eventId.slice(0, 200), eventType: type };
  };
}

/** Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`. */
function standard(secrets: string[]): Verifier {
  return async ({ headers, body }, nowSeconds) => {
    const id = headers.get("webhook-id") ?? undefined;
    const verdict = await verifyStandardWebhook(
      secrets,
      {
        id,
        timestamp: headers.get("webhook-timestamp") ?? undefined,
        signature: headers.get("webhook-signature") ?? undefined,
      },
      body,
      nowSeconds,
    );
    if (!verdict.ok || !id)
      throw invalid(`Standard Webhooks signature refused: ${verdict.ok ? "no id" : verdict.reason}.`);
    let eventType: string | null = null;
    try {
      eventType = stringField((JSON.parse(body) as { type?: unknown }).type);
    } catch {
      // Standard Webhooks bodies are usually JSON with a `type`, but the scheme does not require it.
    }
    return { eventId: id.slice(0, 200), eventType };
  };
}

/** The verifier for `provider` under this deployment's config, or null if it is not configured. */
export function inboundVerifier(config: Config, provider: string): Verifier | null {
  switch (provider) {
    case "stripe":
      return config.STRIPE_WEBHOOK_SECRET ? stripe(config.STRIPE_WEBHOOK_SECRET.split(",")) : null;
    case "github":
      return config.GITHUB_WEBHOOK_SECRET ? github(config.GITHUB_WEBHOOK_SECRET) : null;
    case "twilio":
      return config.TWILIO_AUTH_TOKEN ? twilio(config.TWILIO_AUTH_TOKEN) : null;
    default: {
      const secrets = Object.hasOwn(config.WEBHOOK_SENDERS, provider)
        ? config.WEBHOOK_SENDERS[provider]
        : undefined;
      return secrets ? standard(secrets) : null;
    }
  }
}
