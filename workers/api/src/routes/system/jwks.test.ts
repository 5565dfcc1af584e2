import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, json } from "../../../test/helpers.ts";

describe("GET /.well-known/jwks.json", () => {
  it("publishes public keys only", async () => {
    const response = await call("/.well-known/jwks.json");
    const { keys } = await json<{ keys: Record<string, string>[] }>(response);
    expect(keys).toHaveLength(1);
    const [signingKey] = JSON.parse(env.JWT_SIGNING_KEYS) as { kid: string }[];
    expect(keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: signingKey?.kid, alg: "EdDSA" });
    expect(keys[0]).not.toHaveProperty("d");
    expect(response.headers.get("cache-control")).toContain("max-age");
  });
});
