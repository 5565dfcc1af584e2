// The Web Push crypto checked against independent implementations in Node: http_ece decrypts the
// aes128gcm bodies, jose and node:crypto verify the VAPID tokens, and RFC 8291's own example
// (Appendix A) comes out byte for byte.
import { createECDH } from "node:crypto";
import ece from "http_ece";
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { verifyVapid } from "../../../../../../scripts/notify-stand-ins/web-push.ts";
import { encryptPushPayload, MAX_PLAINTEXT_BYTES, PushKeyError } from "./aes128gcm.ts";
import { generateVapidKeys, vapidAuthorization } from "./vapid.ts";

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

function receiver() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = b64u(crypto.getRandomValues(new Uint8Array(16)));
  return { ecdh, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth } };
}

describe("aes128gcm (RFC 8291)", () => {
  it("http_ece decrypts what was encrypted, for short, multi-byte and maximal payloads", async () => {
    for (const text of ["hi", "Grüße 🙂 ".repeat(40), "x".repeat(MAX_PLAINTEXT_BYTES)]) {
      const { ecdh, keys } = receiver();
      const body = await encryptPushPayload(new TextEncoder().encode(text), keys);
      const plain = ece.decrypt(Buffer.from(body), {
        version: "aes128gcm",
        privateKey: ecdh,
        authSecret: keys.auth,
      });
      expect(plain.toString("utf8")).toBe(text);
    }
  });

  it("uses a fresh salt and sender key each time", async () => {
    const { keys } = receiver();
    const payload = new TextEncoder().encode("same");
    const [a, b] = await Promise.all([encryptPushPayload(payload, keys), encryptPushPayload(payload, keys)]);
    expect(b64u(a.slice(0, 16))).not.toBe(b64u(b.slice(0, 16)));
    expect(b64u(a.slice(21, 86))).not.toBe(b64u(b.slice(21, 86)));
  });

  it("does not decrypt with another subscription's auth secret", async () => {
    const { ecdh, keys } = receiver();
    const body = await encryptPushPayload(new TextEncoder().encode("secret"), keys);
    const wrongAuth = b64u(crypto.getRandomValues(new Uint8Array(16)));
    expect(() =>
      ece.decrypt(Buffer.from(body), { version: "aes128gcm", privateKey: ecdh, authSecret: wrongAuth }),
    ).toThrow();
  });

  it("refuses malformed subscription keys and oversized payloads", async () => {
    const { keys } = receiver();
    await expect(encryptPushPayload(new Uint8Array(1), { ...keys, p256dh: "AAAA" })).rejects.toBeInstanceOf(
      PushKeyError,
    );
    await expect(encryptPushPayload(new Uint8Array(1), { ...keys, auth: "AAAA" })).rejects.toBeInstanceOf(
      PushKeyError,
    );
    await expect(encryptPushPayload(new Uint8Array(MAX_PLAINTEXT_BYTES + 1), keys)).rejects.toBeInstanceOf(
      PushKeyError,
    );
  });

  it("reproduces RFC 8291 Appendix A", async () => {
    const asPublic = Buffer.from(
      "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
      "base64url",
    );
    const jwk = {
      kty: "EC",
      crv: "P-256",
      x: b64u(asPublic.subarray(1, 33)),
      y: b64u(asPublic.subarray(33)),
      d: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
    };
    const algorithm = { name: "ECDH", namedCurve: "P-256" };
    const senderKeys = {
      privateKey: await crypto.subtle.importKey("jwk", jwk, algorithm, true, ["deriveBits"]),
      publicKey: await crypto.subtle.importKey("raw", asPublic, algorithm, true, []),
    };
    const body = await encryptPushPayload(
      new TextEncoder().encode("When I grow up, I want to be a watermelon"),
      {
        p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
        auth: "BTBZMqHH6r4Tts7J_aSIgg",
      },
      { salt: Buffer.from("DGv6ra1nlYgDCS1FRnbzlw", "base64url"), senderKeys },
    );
    expect(b64u(body)).toBe(
      "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
    );
  });
});

describe("VAPID (RFC 8292)", () => {
  it("signs an ES256 token for the push service's origin that jose and node:crypto verify", async () => {
    const keys = { ...(await generateVapidKeys()), subject: "mailto:ops@example.com" };
    const endpoint = "https://push.example.net/wpush/v2/abc?x=1";
    const now = Math.floor(Date.now() / 1000);
    const header = await vapidAuthorization(keys, endpoint, now);
    const match = /^vapid t=(\S+), k=(\S+)$/.exec(header);
    expect(match?.[2]).toBe(keys.publicKey);
    const token = match?.[1] ?? "";
    expect(decodeProtectedHeader(token)).toEqual({ typ: "JWT", alg: "ES256" });
    const point = Buffer.from(keys.publicKey, "base64url");
    const publicKey = await importJWK(
      { kty: "EC", crv: "P-256", x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) },
      "ES256",
    );
    const { payload } = await jwtVerify(token, publicKey, { audience: "https://push.example.net" });
    expect(payload.sub).toBe("mailto:ops@example.com");
    expect((payload.exp ?? 0) - now).toBeLessThanOrEqual(24 * 3600);
    expect(verifyVapid(header, "https://push.example.net", now)).toBeNull();
    expect(verifyVapid(header, "https://other.example.net", now)).toMatch(/aud/);
    expect(decodeJwt(token).aud).toBe("https://push.example.net");
  });

  it("a token signed with another key does not verify under k", async () => {
    const mine = { ...(await generateVapidKeys()), subject: "mailto:ops@example.com" };
    const other = await generateVapidKeys();
    const header = await vapidAuthorization(mine, "https://push.example.net/x");
    const swapped = header.replace(/k=\S+$/, `k=${other.publicKey}`);
    expect(verifyVapid(swapped, "https://push.example.net")).toMatch(/signature/);
  });
});
