// A push subscription as a browser's PushSubscription.toJSON() gives it: a push service endpoint and
// the keys (an ECDH P-256 public key, uncompressed, and a 16-byte auth secret), base64url.
import { base64Url } from "@nexus/security";
import { callAs, notificationsPath } from "../notification-preferences/fixtures.ts";

export async function browserKeys(): Promise<{ p256dh: string; auth: string }> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
    "deriveBits",
  ])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  return { p256dh: base64Url(raw), auth: base64Url(crypto.getRandomValues(new Uint8Array(16))) };
}

export const subscriptionsPath = (companyId: string) => `${notificationsPath(companyId)}/push-subscriptions`;

export async function subscribe(cookie: string, companyId: string, body: Record<string, unknown>) {
  return callAs(cookie, subscriptionsPath(companyId), { body });
}
