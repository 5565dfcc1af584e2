// Message encryption for Web Push (RFC 8291) in the aes128gcm content coding (RFC 8188), on WebCrypto
// alone: an ephemeral ECDH P-256 key agreed with the subscription's p256dh key, HKDF keyed by its auth
// secret, one AES-128-GCM record. What a browser's push service hands the service worker decrypts
// only with the subscription's private key, so the push service never reads the notification.
import { fromBase64Url } from "@nexus/security";

/** Record size announced in the header; one record carries the whole payload. */
export const RECORD_SIZE = 4096;
/** The largest plaintext one record holds: the record minus the 16-byte tag and the delimiter. */
export const MAX_PLAINTEXT_BYTES = RECORD_SIZE - 16 - 1;

const encoder = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", concat(ikm), "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: concat(salt), info: concat(info) },
    key,
    bytes * 8,
  );
  return new Uint8Array(bits);
}

export interface PushKeys {
  /** The subscription's `keys.p256dh`: the user agent's public key, base64url, 65 bytes uncompressed. */
  p256dh: string;
  /** The subscription's `keys.auth`: 16-byte secret, base64url. */
  auth: string;
}

export class PushKeyError extends Error {}

/**
 * The aes128gcm body for `plaintext`: header (salt, record size, the sender's ephemeral public key)
 * followed by the one encrypted record. `salt` and `senderKeys` are for tests with fixed vectors.
 */
export async function encryptPushPayload(
  plaintext: Uint8Array,
  keys: PushKeys,
  fixed: { salt?: Uint8Array; senderKeys?: CryptoKeyPair } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  if (plaintext.byteLength > MAX_PLAINTEXT_BYTES) {
    throw new PushKeyError(
      `a push payload holds at most ${MAX_PLAINTEXT_BYTES} bytes, not ${plaintext.byteLength}`,
    );
  }
  let uaPublic: Uint8Array;
  let authSecret: Uint8Array;
  try {
    uaPublic = fromBase64Url(keys.p256dh);
    authSecret = fromBase64Url(keys.auth);
  } catch {
    throw new PushKeyError("the subscription's keys are not base64url");
  }
  if (uaPublic.byteLength !== 65 || uaPublic[0] !== 4 || authSecret.byteLength !== 16) {
    throw new PushKeyError("the subscription's p256dh must be a 65-byte P-256 point and auth 16 bytes");
  }
  const uaKey = await crypto.subtle
    .importKey("raw", concat(uaPublic), { name: "ECDH", namedCurve: "P-256" }, false, [])
    .catch(() => {
      throw new PushKeyError("the subscription's p256dh is not a point on P-256");
    });
  const sender =
    fixed.senderKeys ??
    ((await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
      "deriveBits",
    ])) as CryptoKeyPair);
  const asPublic = new Uint8Array((await crypto.subtle.exportKey("raw", sender.publicKey)) as ArrayBuffer);
  // workers-types spells the ECDH peer key `$public` (its generator's escape of a reserved word); the
  // runtime, like every WebCrypto, reads `public`.
  const ecdh = { name: "ECDH", public: uaKey } as unknown as SubtleCryptoDeriveKeyAlgorithm;
  const ecdhSecret = new Uint8Array(await crypto.subtle.deriveBits(ecdh, sender.privateKey, 256));
  // RFC 8291 §3.4: IKM from the shared secret, keyed by the auth secret and bound to both public keys.
  const keyInfo = concat(encoder.encode("WebPush: info\0"), uaPublic, asPublic);
  const ikm = await hkdf(authSecret, ecdhSecret, keyInfo, 32);
  const salt = fixed.salt ?? crypto.getRandomValues(new Uint8Array(16));
  const cek = await hkdf(salt, ikm, encoder.encode("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, encoder.encode("Content-Encoding: nonce\0"), 12);
  const aesKey = await crypto.subtle.importKey("raw", concat(cek), "AES-GCM", false, ["encrypt"]);
  // 0x02: the last (and only) record's delimiter, no padding after it.
  const record = concat(plaintext, Uint8Array.of(2));
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv: concat(nonce), tagLength: 128 }, aesKey, record),
  );
  const header = new Uint8Array(16 + 4 + 1);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(16, RECORD_SIZE);
  header[20] = asPublic.byteLength;
  return concat(header, asPublic, ciphertext);
}
