// Fresh secrets for every run, shaped like production's (see env.ts's ConfigSchema), so the
// crypto cost of token signing and secret sealing is part of what is measured.
import { generateKeyPairSync, randomBytes } from "node:crypto";

const generators: Record<string, () => string> = {
  NEXUS_ADMIN_SECRET: () => randomBytes(32).toString("base64url"),
  ENCRYPTION_KEYS: () => `1:${randomBytes(32).toString("base64")}`,
  JWT_SIGNING_KEYS: () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    return JSON.stringify([{ ...privateKey.export({ format: "jwk" }), kid: "bench-1" }]);
  },
};

/**
 * One value per secret wrangler.toml requires. A secret added later without a generator here
 * gets 32 random bytes, which satisfies plain shared secrets; the bench says so, because a
 * structured secret would need a generator.
 */
export function generateSecrets(required: readonly string[]): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of required) {
    const generate = generators[name];
    if (!generate) console.warn(`bench: no generator for secret ${name}; using 32 random bytes`);
    secrets[name] = generate ? generate() : randomBytes(32).toString("base64url");
  }
  return secrets;
}
