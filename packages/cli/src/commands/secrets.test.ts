import { createPrivateKey, createPublicKey, type JsonWebKey, sign, verify } from "node:crypto";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { capture } from "../testing/test-helpers.ts";
import { devVarsLine, generateSecrets, type NexusSecrets, secretsGenerate, signingKeyId } from "./secrets.ts";

/**
 * dotenv 16's parse(), which wrangler uses for .dev.vars, restated: KEY=value per line, single,
 * double or backtick quotes stripped, `\n` expanded only inside double quotes, `#` starts a comment.
 */
function parseLikeDotenv(source: string): Record<string, string> {
  const line =
    /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;
  const result: Record<string, string> = {};
  for (const match of source.replace(/\r\n?/g, "\n").matchAll(line)) {
    let value = (match[2] ?? "").trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/gm, "$2");
    if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
    result[match[1] ?? ""] = value;
  }
  return result;
}

function generatedOutput(): { secrets: NexusSecrets; text: string } {
  const secrets = generateSecrets(new Date("2026-11-21T10:00:00Z"));
  const stdout = capture();
  expect(secretsGenerate({ stdout, generate: () => secrets })).toBe(0);
  return { secrets, text: stdout.text() };
}

describe("secrets generate", () => {
  it("prints .dev.vars lines that dotenv and Node read back intact", () => {
    const { secrets, text } = generatedOutput();
    expect(Object.keys(secrets)).toEqual([
      "NEXUS_ADMIN_SECRET",
      "ENCRYPTION_KEYS",
      "JWT_SIGNING_KEYS",
      "BETTER_AUTH_SECRET",
    ]);
    expect(parseLikeDotenv(text)).toEqual(secrets);
    expect(parseEnv(text)).toEqual(secrets);
  });

  it("generates values the API's config accepts", () => {
    const { NEXUS_ADMIN_SECRET, ENCRYPTION_KEYS } = generateSecrets();
    // Hex: never starts with "-", so `--admin-secret <value>` is never read as a flag.
    expect(NEXUS_ADMIN_SECRET).toMatch(/^[0-9a-f]{64}$/);
    // Same pattern as ConfigSchema in workers/api/src/env.ts.
    expect(ENCRYPTION_KEYS).toMatch(/^\d+:[A-Za-z0-9+/=_-]{43,}(,\d+:[A-Za-z0-9+/=_-]{43,})*$/);
    expect(Buffer.from(ENCRYPTION_KEYS.slice(2), "base64")).toHaveLength(32);
  });

  it("JWT_SIGNING_KEYS holds one valid Ed25519 private JWK with a kid", () => {
    const { secrets } = generatedOutput();
    const keys = JSON.parse(secrets.JWT_SIGNING_KEYS) as (JsonWebKey & { kid: string })[];
    expect(keys).toHaveLength(1);
    const [jwk] = keys;
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    expect(jwk?.kid).toMatch(/^key-20261121-[0-9a-f]{8}$/);

    const privateKey = createPrivateKey({ key: jwk as JsonWebKey, format: "jwk" });
    expect(privateKey.asymmetricKeyType).toBe("ed25519");
    const publicKey = createPublicKey(privateKey);
    expect(publicKey.export({ format: "jwk" }).x).toBe(jwk?.x);
    const message = Buffer.from("installation token");
    expect(verify(null, message, publicKey, sign(null, message, privateKey))).toBe(true);
  });

  it("is fresh every time", () => {
    const [a, b] = [generateSecrets(), generateSecrets()];
    expect(a.NEXUS_ADMIN_SECRET).not.toBe(b.NEXUS_ADMIN_SECRET);
    expect(a.ENCRYPTION_KEYS).not.toBe(b.ENCRYPTION_KEYS);
    expect(a.JWT_SIGNING_KEYS).not.toBe(b.JWT_SIGNING_KEYS);
    expect(signingKeyId(new Date())).not.toBe(signingKeyId(new Date()));
  });

  it("quotes only what needs it, and refuses values dotenv cannot carry", () => {
    expect(devVarsLine("A", "1:ab+/c=")).toBe("A=1:ab+/c=");
    expect(devVarsLine("J", '[{"a":"b c"}]')).toBe(`J='[{"a":"b c"}]'`);
    expect(() => devVarsLine("Q", "it's")).toThrow("Q: a value with ', $ or a line break");
    expect(() => devVarsLine("D", "$HOME")).toThrow("D: a value with ', $ or a line break");
  });
});
