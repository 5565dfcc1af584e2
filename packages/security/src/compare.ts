// Hashing, HMAC and constant-time comparison on Web Crypto (workerd's `timingSafeEqual`).
import { hex } from "./encoding.ts";

const encoder = new TextEncoder();

export async function sha256Hex(value: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(value))));
}

/**
 * Compares two secrets in constant time. Both sides are hashed first so the comparison takes the
 * same time whatever their lengths, and the length of the real secret does not leak.
 */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** HMAC of `message` (text or bytes) under `key` (text or bytes); SHA-256 unless a sender needs SHA-1. */
export async function hmac(
  key: string | Uint8Array,
  message: string | Uint8Array,
  hash: "SHA-256" | "SHA-1" = "SHA-256",
): Promise<Uint8Array> {
  const keyBytes = typeof key === "string" ? encoder.encode(key) : key;
  const cryptoKey = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash }, false, ["sign"]);
  const data = typeof message === "string" ? encoder.encode(message) : message;
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, data));
}

/** Whether any of `given` equals `expected`, comparing every candidate in constant time. */
export function anyEqual(given: string[], expected: string): boolean {
  const expectedBytes = encoder.encode(expected);
  let matched = false;
  for (const candidate of given) {
    if (bytesEqual(encoder.encode(candidate), expectedBytes)) matched = true;
  }
  return matched;
}

/** Constant-time equality of two byte strings; different lengths are unequal (lengths are public). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}
