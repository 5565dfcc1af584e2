import { describe, expect, it } from "vitest";
import { parseBenchArgs } from "./args.ts";
import { percentile, sessionCookieName, signedSessionValue, summarize } from "./notify.ts";

const secret = "bench-secret-of-at-least-32-characters!";

/** better-call's own steps (crypto.ts): WebCrypto HMAC-SHA256, btoa, `token.signature`, URI-encoded. */
async function betterCallSigned(token: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(token));
  return encodeURIComponent(`${token}.${btoa(String.fromCharCode(...new Uint8Array(signature)))}`);
}

describe("session cookies", () => {
  it("signs a token as better-call does", async () => {
    for (const token of ["abc", "0123456789abcdef0123456789abcdef", "Zx9"]) {
      expect(signedSessionValue(token, secret)).toBe(await betterCallSigned(token));
    }
  });

  it("takes the cookie name from the owner's cookie once its signature checks out", async () => {
    const owner = `better-auth.session_token=${await betterCallSigned("owner-token")}; other=1`;
    expect(sessionCookieName(owner, secret)).toBe("better-auth.session_token");
    expect(() => sessionCookieName(owner, "another-secret-of-at-least-32-chars")).toThrow(
      /cookie signing changed/,
    );
    expect(() => sessionCookieName("other=1", secret)).toThrow(/no session token/);
  });
});

describe("the fan-out figures", () => {
  it("takes percentiles by nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it("pools the rounds and counts a missing frame as missing, not as a time", () => {
    const summary = summarize([
      [10, 20, undefined],
      [30, 40, 500],
    ]);
    expect(summary).toEqual({ expected: 6, arrived: 5, p50Ms: 30, p99Ms: 500, maxMs: 500 });
    expect(summarize([[undefined, undefined]])).toEqual({
      expected: 2,
      arrived: 0,
      p50Ms: null,
      p99Ms: null,
      maxMs: null,
    });
  });
});

describe("--sockets", () => {
  it("defaults to the issue's 1,000 and stays within its bounds", () => {
    expect(parseBenchArgs([]).notifySockets).toBe(1000);
    expect(parseBenchArgs(["--routes", "notify-fanout", "--sockets", "100"]).notifySockets).toBe(100);
    expect(() => parseBenchArgs(["--sockets", "0"])).toThrow(/--sockets must be an integer from 1 to 5000/);
  });
});
