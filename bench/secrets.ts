// Fresh secrets for every run, from the same generator as `nexus secrets generate`, so the crypto
// cost of token signing and secret sealing is part of what is measured.
import { randomBytes } from "node:crypto";
import { generateSecrets as generateApiSecrets } from "../packages/cli/src/commands/secrets.ts";

/**
 * One value per secret wrangler.toml requires. A secret added later that the generator does not
 * know gets 32 random bytes, which satisfies plain shared secrets; the bench says so, because a
 * structured secret would need a generator.
 */
export function generateSecrets(required: readonly string[]): Record<string, string> {
  const known: Record<string, string> = { ...generateApiSecrets() };
  const secrets: Record<string, string> = {};
  for (const name of required) {
    const value = known[name];
    if (value === undefined) console.warn(`bench: no generator for secret ${name}; using 32 random bytes`);
    secrets[name] = value ?? randomBytes(32).toString("base64url");
  }
  return secrets;
}
