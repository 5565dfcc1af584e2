import { generateKeyPairSync, randomBytes } from "node:crypto";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Fresh secrets for every test run; tests never see the developer's .dev.vars.
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
              miniflare: { bindings: { ...testSecrets(), TEST_CENTRAL_MIGRATIONS: centralMigrations } },
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
