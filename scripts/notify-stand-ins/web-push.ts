// A Web Push service (RFC 8030) as a browser's push service behaves towards an application server:
//   POST /push/subscriptions            a new subscription, as PushManager.subscribe() hands it to the
//                                       page: { endpoint, keys: { p256dh, auth } } (body {"gone": true}:
//                                       an endpoint that answers 410 Gone, like an expired subscription)
//   POST /push/{id}                     a push message: the VAPID JWT (RFC 8292) is verified with
//                                       node:crypto against the `k=` key, the aes128gcm body (RFC 8291)
//                                       decrypted with http_ece using the subscription's private key
//   GET  /push/{id}/messages            what was decrypted, for tests (plaintext as text)
// Nothing of the sender's own code is used to check it: the keys are node:crypto's, the decryption
// http_ece's.
import { createECDH, createPublicKey, randomBytes, randomUUID, verify } from "node:crypto";
import ece from "http_ece";

interface Subscription {
  id: string;
  ecdh: ReturnType<typeof createECDH>;
  auth: string;
  gone: boolean;
  messages: { payload: string; ttl: string | null; urgency: string | null; received_at: string }[];
}

const subscriptions = new Map<string, Subscription>();

const text = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/** RFC 8292 §3: `vapid t=<jwt>, k=<key>`; the JWT's aud is the push service's origin, exp ≤ 24 h. */
export function verifyVapid(
  authorization: string,
  audience: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): string | null {
  const match = /^vapid\s+t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)\s*$/i.exec(authorization);
  if (!match?.[1] || !match[2]) return "Authorization is not `vapid t=…, k=…`";
  const [header, claims, signature] = match[1].split(".");
  if (!header || !claims || !signature) return "the VAPID token is not a JWT";
  const point = Buffer.from(match[2], "base64url");
  if (point.length !== 65 || point[0] !== 4) return "k is not an uncompressed P-256 point";
  const key = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
  const parsedHeader = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg?: string };
  if (parsedHeader.alg !== "ES256") return "the VAPID token is not ES256";
  const valid = verify(
    "sha256",
    Buffer.from(`${header}.${claims}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  if (!valid) return "the VAPID signature does not verify with k";
  const body = JSON.parse(Buffer.from(claims, "base64url").toString()) as {
    aud?: string;
    exp?: number;
    sub?: string;
  };
  if (body.aud !== audience) return `aud must be ${audience}`;
  if (typeof body.exp !== "number" || body.exp < nowSeconds || body.exp > nowSeconds + 24 * 3600) {
    return "exp must be in the next 24 hours";
  }
  if (!body.sub || !/^(mailto:|https:)/.test(body.sub)) return "sub must be a mailto: or https: contact";
  return null;
}

export async function handleWebPush(request: Request, path: string): Promise<Response> {
  const origin = new URL(request.url).origin;
  if (request.method === "POST" && path === "/subscriptions") {
    const options = (await request.json().catch(() => ({}))) as { gone?: unknown };
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const id = randomUUID();
    const auth = randomBytes(16).toString("base64url");
    const gone = options.gone === true;
    subscriptions.set(id, { id, ecdh, auth, gone, messages: [] });
    return Response.json({
      endpoint: `${origin}/push/${gone ? "gone/" : ""}${id}`,
      expirationTime: null,
      keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth },
    });
  }
  const messagesMatch = /^\/([0-9a-f-]{36})\/messages$/.exec(path);
  if (request.method === "GET" && messagesMatch?.[1]) {
    const subscription = subscriptions.get(messagesMatch[1]);
    return subscription
      ? Response.json({ messages: subscription.messages })
      : text(404, "no such subscription");
  }
  const pushMatch = /^\/(gone\/)?([0-9a-f-]{36})$/.exec(path);
  if (request.method !== "POST" || !pushMatch?.[2]) return text(404, `No push service route at ${path}`);
  const subscription = subscriptions.get(pushMatch[2]);
  if (!subscription) return text(404, "no such subscription");
  if (subscription.gone) return text(410, "push subscription has unsubscribed or expired");
  const problem = verifyVapid(request.headers.get("authorization") ?? "", origin);
  if (problem) return text(401, `VAPID: ${problem}`);
  if (request.headers.get("content-encoding") !== "aes128gcm")
    return text(415, "Content-Encoding must be aes128gcm");
  if (!request.headers.get("ttl")) return text(400, "the TTL header is required");
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > 4096) return text(413, "payload larger than 4096 bytes");
  let plaintext: Buffer;
  try {
    plaintext = ece.decrypt(body, {
      version: "aes128gcm",
      privateKey: subscription.ecdh,
      authSecret: subscription.auth,
    });
  } catch (error) {
    return text(
      400,
      `the payload does not decrypt: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  subscription.messages.push({
    payload: plaintext.toString("utf8"),
    ttl: request.headers.get("ttl"),
    urgency: request.headers.get("urgency"),
    received_at: new Date().toISOString(),
  });
  return new Response(null, {
    status: 201,
    headers: { location: `${origin}/push/messages/${randomUUID()}` },
  });
}
