// Voluntary Application Server Identification (RFC 8292): every push request carries
// `Authorization: vapid t=<JWT>, k=<public key>`, an ES256 JWT for the push service's origin signed
// with the deployment's VAPID key, so the push service knows who sends (and can block just them).
// Keys are the formats web-push libraries and browsers use: the public key base64url of the 65-byte
// uncompressed point (the dashboard's applicationServerKey), the private key base64url of the scalar d.
import { base64Url, fromBase64Url } from "@nexus/security";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** A mailto: or https: contact the push service can reach the sender at. */
  subject: string;
}

/** How long a token is valid: RFC 8292 allows at most 24 hours; 12 leaves room for clock skew. */
export const VAPID_TOKEN_SECONDS = 12 * 60 * 60;

const encoder = new TextEncoder();
const signingKeys = new Map<string, Promise<CryptoKey>>();

function importSigningKey(keys: VapidKeys): Promise<CryptoKey> {
  const cacheKey = `${keys.publicKey}.${keys.privateKey}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    const point = fromBase64Url(keys.publicKey);
    if (point.byteLength !== 65 || point[0] !== 4) {
      throw new Error("VAPID_PUBLIC_KEY must be the base64url of a 65-byte uncompressed P-256 point");
    }
    const jwk: JsonWebKey = {
      kty: "EC",
      crv: "P-256",
      x: base64Url(point.slice(1, 33)),
      y: base64Url(point.slice(33, 65)),
      d: keys.privateKey,
    };
    key = crypto.subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
    key.catch(() => signingKeys.delete(cacheKey));
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** The `Authorization` header value for a push to `endpoint`. */
export async function vapidAuthorization(
  keys: VapidKeys,
  endpoint: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  const header = base64Url(encoder.encode(JSON.stringify({ typ: "JWT", alg: "ES256" })));
  const claims = base64Url(
    encoder.encode(
      JSON.stringify({
        aud: new URL(endpoint).origin,
        exp: nowSeconds + VAPID_TOKEN_SECONDS,
        sub: keys.subject,
      }),
    ),
  );
  const signingInput = `${header}.${claims}`;
  // WebCrypto's ECDSA signature is already JWS's r || s (IEEE P1363), no DER to unwrap.
  const signature = await crypto.subtle.sign(
    { name: "ECDSA", hash: "SHA-256" },
    await importSigningKey(keys),
    encoder.encode(signingInput),
  );
  return `vapid t=${signingInput}.${base64Url(new Uint8Array(signature))}, k=${keys.publicKey}`;
}

/** A new key pair in the formats above (scripts/notify-stand-ins/vapid-keys.ts prints one). */
export async function generateVapidKeys(): Promise<{ publicKey: string; privateKey: string }> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  if (!jwk.d) throw new Error("the generated key has no private part");
  return { publicKey: base64Url(raw), privateKey: jwk.d };
}
