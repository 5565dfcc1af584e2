import { generateKeyPairSync, randomBytes } from "node:crypto";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { unstable_readConfig } from "wrangler";

// Tests run with wrangler.toml's vars and fresh secrets, whatever a developer's .dev.vars says
// (wrangler would otherwise let it override both, e.g. REGISTRATION_MODE=open).
const configVars = unstable_readConfig({ config: "wrangler.toml" }, { hideWarnings: true }).vars;

function testSecrets() {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-key-1" };
  return {
    NEXUS_ADMIN_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEYS: `1:${randomBytes(32).toString("base64")}`,
    JWT_SIGNING_KEYS: JSON.stringify([jwk]),
  };
}

export default defineConfig(async () => {
  const centralMigrations = await readD1Migrations("migrations/central");
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: { ...configVars, ...testSecrets(), TEST_CENTRAL_MIGRATIONS: centralMigrations },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["workers/**/*.test.ts", "packages/client/**/*.test.ts"],
            setupFiles: ["./workers/api/test/setup.ts"],
          },
        },
        {
          test: {
            name: "node",
            include: ["packages/cli/**/*.test.ts", "packages/contracts/**/*.test.ts", "scripts/**/*.test.ts"],
            environment: "node",
          },
        },
      ],
    },
  };
});
