import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CONSUMERS_CONFIG } from "./commands/pool-add.ts";
import { type TempConfig, tempWranglerConfig } from "./testing/test-helpers.ts";
import {
  appendD1Blocks,
  assertAppendable,
  nextTenantIndex,
  readWranglerConfig,
  tenantBindingsInConfig,
  tenantDatabasesInConfig,
  tenantIndex,
  tenantMigrationsDir,
  tenantPoolDifferences,
  workerName,
} from "./wrangler-config.ts";

const ENTRY = { binding: "TENANT_DB_0003", databaseName: "nexus-tenant-0003", databaseId: "id-3" };
const BLOCK = `[[d1_databases]]
binding = "TENANT_DB_0003"
database_name = "nexus-tenant-0003"
database_id = "id-3"
migrations_dir = "migrations/tenant"
`;

let config: TempConfig | undefined;
afterEach(async () => {
  await config?.cleanup();
  config = undefined;
});

describe("wrangler config", () => {
  it("finds the top-level worker name, not a name inside a table", () => {
    expect(workerName('name = "api"\nmain = "x.ts"\n[env.staging]\nname = "api-staging"\n')).toBe("api");
    expect(workerName('[vars]\nname = "not-the-worker"\n')).toBeUndefined();
  });

  it("lists TENANT_DB bindings, ignoring commented-out ones and other bindings", () => {
    const toml = [
      '[[d1_databases]]\nbinding = "CENTRAL_DB"',
      '[[d1_databases]]\nbinding = "TENANT_DB_0001"',
      '# [[d1_databases]]\n# binding = "TENANT_DB_0099"',
      "[[d1_databases]]\n  binding='TENANT_DB_0012'",
    ].join("\n\n");
    expect(tenantBindingsInConfig(toml)).toEqual(["TENANT_DB_0001", "TENANT_DB_0012"]);
    expect(nextTenantIndex(tenantBindingsInConfig(toml))).toBe(13);
    expect(nextTenantIndex([])).toBe(1);
    expect([tenantIndex("TENANT_DB_0042"), tenantIndex("TENANT_DB_X"), tenantIndex("CENTRAL_DB")]).toEqual([
      42,
      undefined,
      undefined,
    ]);
  });

  it("reads the tenant entries of top-level [[d1_databases]] tables only", () => {
    const toml = [
      'name = "w"\n[[d1_databases]]\nbinding = "CENTRAL_DB"\ndatabase_id = "c"',
      '[[d1_databases]] # the pool\nbinding = "TENANT_DB_0001"\ndatabase_name = "nexus-tenant-0001"\ndatabase_id = "id-1" # created 2026',
      "[[d1_databases]]\n  binding='TENANT_DB_0002'\n  database_name='nexus-tenant-0002'\n# database_id = \"old\"",
      '[[env.staging.d1_databases]]\nbinding = "TENANT_DB_0050"\ndatabase_id = "staging"',
      '[vars]\nbinding = "TENANT_DB_0099"',
    ].join("\n\n");
    expect(tenantDatabasesInConfig(toml)).toEqual([
      { binding: "TENANT_DB_0001", databaseName: "nexus-tenant-0001", databaseId: "id-1" },
      { binding: "TENANT_DB_0002", databaseName: "nexus-tenant-0002", databaseId: "" },
    ]);
  });

  it("lists the bindings two pools declare differently", () => {
    const entry = (n: number, id = `id-${n}`) => ({
      binding: `TENANT_DB_000${n}`,
      databaseName: `nexus-tenant-000${n}`,
      databaseId: id,
    });
    expect(tenantPoolDifferences([entry(1), entry(2)], [entry(2), entry(1)])).toEqual([]);
    expect(
      tenantPoolDifferences([entry(1), entry(2), entry(3)], [entry(4), entry(2, "other"), entry(1)]),
    ).toEqual([
      { binding: "TENANT_DB_0002", left: entry(2), right: entry(2, "other") },
      { binding: "TENANT_DB_0003", left: entry(3), right: undefined },
      { binding: "TENANT_DB_0004", left: undefined, right: entry(4) },
    ]);
  });

  it("points migrations_dir at the project's tenant migrations from each config's folder", () => {
    expect(tenantMigrationsDir("/repo/wrangler.toml", "/repo")).toBe("migrations/tenant");
    expect(tenantMigrationsDir("/repo/workers/consumers/wrangler.toml", "/repo")).toBe(
      "../../migrations/tenant",
    );
  });

  it("appends blocks after a blank line, whatever the file ends with", async () => {
    for (const [start, expected] of [
      ['name = "a"', `name = "a"\n\n${BLOCK}`],
      ['name = "a"\n', `name = "a"\n\n${BLOCK}`],
      ['name = "a"\n\n', `name = "a"\n\n${BLOCK}`],
    ] as const) {
      config = await tempWranglerConfig(start);
      await appendD1Blocks(config.path, [ENTRY]);
      expect(await readFile(config.path, "utf8")).toBe(expected);
      await config.cleanup();
    }
  });

  it("writes the migrations_dir it is given", async () => {
    config = await tempWranglerConfig('name = "a"\n');
    await appendD1Blocks(config.path, [ENTRY], "../../migrations/tenant");
    expect(await readFile(config.path, "utf8")).toBe(
      `name = "a"\n\n${BLOCK.replace('"migrations/tenant"', '"../../migrations/tenant"')}`,
    );
  });

  it("refuses configs it cannot safely extend", async () => {
    expect(() => assertAppendable("w.toml", 'd1_databases = [{ binding = "DB" }]\n')).toThrow(
      "w.toml declares d1_databases inline",
    );
    await expect(readWranglerConfig("/nowhere/wrangler.jsonc")).rejects.toThrow(
      "only a wrangler.toml config",
    );
    await expect(readWranglerConfig("/nowhere/wrangler.toml")).rejects.toThrow(
      "cannot read wrangler config /nowhere/wrangler.toml (ENOENT)",
    );
  });
});

// The repo's own configs: `wrangler deploy` of either worker must bind the same tenant databases
// (`nexus tenants pool add` keeps them in step; this catches a hand edit to only one of them).
describe("the repo's workers", () => {
  const repoRoot = join(import.meta.dirname, "../../..");

  it("declare the identical tenant pool in wrangler.toml and workers/consumers/wrangler.toml", async () => {
    const api = await readWranglerConfig(join(repoRoot, "wrangler.toml"));
    const telemetry = await readWranglerConfig(join(repoRoot, CONSUMERS_CONFIG));
    const pool = tenantDatabasesInConfig(api);
    expect(pool.length).toBeGreaterThan(0);
    expect(tenantDatabasesInConfig(telemetry)).toEqual(pool);
  });
});
