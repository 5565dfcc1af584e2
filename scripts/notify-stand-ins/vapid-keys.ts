// A VAPID key pair (RFC 8292) in the formats the API reads: VAPID_PUBLIC_KEY (base64url of the
// 65-byte uncompressed P-256 point, also the browsers' applicationServerKey) and VAPID_PRIVATE_KEY
// (base64url of the 32-byte private scalar). Run: node scripts/notify-stand-ins/vapid-keys.ts
import { generateKeyPairSync } from "node:crypto";

export function newVapidKeys(): { VAPID_PUBLIC_KEY: string; VAPID_PRIVATE_KEY: string } {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = privateKey.export({ format: "jwk" });
  if (!jwk.x || !jwk.y || !jwk.d) throw new Error("the generated key has no coordinates");
  const point = Buffer.concat([
    Buffer.of(4),
    Buffer.from(jwk.x, "base64url"),
    Buffer.from(jwk.y, "base64url"),
  ]);
  return { VAPID_PUBLIC_KEY: point.toString("base64url"), VAPID_PRIVATE_KEY: jwk.d };
}

if (import.meta.main) {
  const keys = newVapidKeys();
  console.log(`VAPID_PUBLIC_KEY=${keys.VAPID_PUBLIC_KEY}`);
  console.log(`VAPID_PRIVATE_KEY=${keys.VAPID_PRIVATE_KEY}`);
}
