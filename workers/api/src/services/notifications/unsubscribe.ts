// Unsubscribe links: `/api/notifications/unsubscribe?token=<payload>.<signature>` where the payload
// (base64url JSON) names the company, recipient, category, channel and expiry, and the signature is
// an HMAC over it with a key derived per company from ENCRYPTION_KEYS (like signed document links).
// No sign-in: whoever holds the mail may stop it, which is what RFC 8058 one-click asks for.
import { routes } from "@nexus/contracts";
import { base64Url, fromBase64Url, signForCompany, verifyForCompany } from "@nexus/security";
import { getConfig } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";

const PURPOSE = "notification-unsubscribe";
/** Long enough for an old mail's link to still work; a year, then the preferences page remains. */
export const UNSUBSCRIBE_LINK_TTL_MS = 365 * 24 * 3600 * 1000;

export interface UnsubscribeTarget {
  companyId: string;
  recipientKey: string;
  category: string;
  channel: string;
}

interface Payload {
  c: string;
  r: string;
  k: string;
  h: string;
  /** Expiry, unix seconds. */
  e: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function unsubscribeToken(
  env: Env,
  target: UnsubscribeTarget,
  expiresAt = Date.now() + UNSUBSCRIBE_LINK_TTL_MS,
): Promise<string> {
  const payload: Payload = {
    c: target.companyId,
    r: target.recipientKey,
    k: target.category,
    h: target.channel,
    e: Math.floor(expiresAt / 1000),
  };
  const encoded = base64Url(encoder.encode(JSON.stringify(payload)));
  const signature = await signForCompany(getConfig(env).ENCRYPTION_KEYS, target.companyId, PURPOSE, encoded);
  return `${encoded}.${signature}`;
}

/** The link for an email's footer and its List-Unsubscribe header (the email providers). */
export async function unsubscribeUrl(
  env: Env,
  companyId: string,
  recipientKey: string,
  category: string,
  channel: string,
): Promise<string> {
  const token = await unsubscribeToken(env, { companyId, recipientKey, category, channel });
  const url = new URL(routes.unsubscribe.path, getConfig(env).PUBLIC_URL);
  url.searchParams.set("token", token);
  return url.toString();
}

// One answer for every failure: a link's holder learns nothing about what is wrong with it.
const invalid = () =>
  new ApiError(
    "UNSUBSCRIBE_LINK_INVALID",
    "This unsubscribe link is not valid (changed, or older than a year). Change your notification preferences in the dashboard instead.",
  );

function parsePayload(encoded: string): Payload | null {
  try {
    const value: unknown = JSON.parse(decoder.decode(fromBase64Url(encoded)));
    if (typeof value !== "object" || value === null) return null;
    const p = value as Record<string, unknown>;
    const strings = [p.c, p.r, p.k, p.h].every(
      (v) => typeof v === "string" && v.length > 0 && v.length <= 320,
    );
    return strings && typeof p.e === "number" && Number.isInteger(p.e) ? (value as Payload) : null;
  } catch {
    return null;
  }
}

/** The target of a genuine, unexpired token; UNSUBSCRIBE_LINK_INVALID otherwise. */
export async function verifyUnsubscribeToken(
  env: Env,
  token: string,
  now = Date.now(),
): Promise<UnsubscribeTarget> {
  const dot = token.indexOf(".");
  if (dot <= 0) throw invalid();
  const encoded = token.slice(0, dot);
  const payload = parsePayload(encoded);
  if (!payload || payload.e * 1000 < now) throw invalid();
  const genuine = await verifyForCompany(
    getConfig(env).ENCRYPTION_KEYS,
    payload.c,
    PURPOSE,
    encoded,
    token.slice(dot + 1),
  );
  if (!genuine) throw invalid();
  return { companyId: payload.c, recipientKey: payload.r, category: payload.k, channel: payload.h };
}
