// The tenant pool is declared once (the root wrangler.toml) and the consumers' copy is generated from
// it: the repo's copy is what the generator renders, a hand edit to either file is caught, and
// `nexus tenants pool add` (which appends to both) leaves the copy exactly what the generator renders.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CONSUMERS_CONFIG, poolAdd } from "../packages/cli/src/commands/pool-add.ts";
import { tenantDatabasesInConfig } from "../packages/cli/src/wrangler-config.ts";
import { POOL_MARKER, syncTenantPool, withGeneratedPool } from "./sync-tenant-pool.ts";

const repoRoot = join(import.meta.dirname, "..");
const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A copy of the two configs in a temporary project. */
async function project(): Promise<{ root: string; api: string; consumers: string }> {
  const root = await mkdtemp(join(tmpdir(), "nexus-pool-sync-"));
  temps.push(root);
  const consumers = join(root, CONSUMERS_CONFIG);
  await mkdir(dirname(consumers), { recursive: true });
  await cp(join(repoRoot, "wrangler.toml"), join(root, "wrangler.toml"));
  await cp(join(repoRoot, CONSUMERS_CONFIG), consumers);
  return { root, api: join(root, "wrangler.toml"), consumers };
}

const sink = () => ({ write: (_text: string) => true });

describe("one tenant pool for both workers", () => {
  it("the consumers' config carries exactly the pool generated from the root wrangler.toml", () => {
    expect(syncTenantPool(repoRoot, true)).toMatchObject({ upToDate: true });
  });

  it("catches a hand edit to either config, and the generator repairs the copy", async () => {
    const { root, api, consumers } = await project();
    const original = await readFile(consumers, "utf8");
    await writeFile(
      consumers,
      original.replace('database_id = "00000000-0000-4000-8000-000000000003"', 'database_id = "edited"'),
    );
    expect(syncTenantPool(root, true).upToDate).toBe(false);
    expect(syncTenantPool(root, false).upToDate).toBe(false);
    expect(await readFile(consumers, "utf8")).toBe(original);

    await writeFile(
      api,
      `${await readFile(api, "utf8")}\n[[d1_databases]]\nbinding = "TENANT_DB_0009"\ndatabase_name = "nexus-tenant-0009"\ndatabase_id = "x"\nmigrations_dir = "migrations/tenant"\n`,
    );
    expect(syncTenantPool(root, true).upToDate).toBe(false);
    syncTenantPool(root, false);
    const pool = tenantDatabasesInConfig(await readFile(consumers, "utf8"));
    expect(pool.map((entry) => entry.binding).at(-1)).toBe("TENANT_DB_0009");
    expect(pool).toEqual(tenantDatabasesInConfig(await readFile(api, "utf8")));
  });

  it("`nexus tenants pool add --local` keeps the copy generated (it appends the same blocks to both)", async () => {
    const { root, api, consumers } = await project();
    const before = tenantDatabasesInConfig(await readFile(api, "utf8")).length;
    await poolAdd(
      { count: 2, configPath: api, alsoConfigPaths: [consumers], local: true, dryRun: false },
      { stdout: sink(), stderr: sink() },
    );
    expect(tenantDatabasesInConfig(await readFile(api, "utf8"))).toHaveLength(before + 2);
    expect(syncTenantPool(root, true)).toMatchObject({ upToDate: true });
  });

  it("refuses a consumers' config without the marker, rather than guessing where the pool goes", () => {
    expect(() => withGeneratedPool('name = "x"\n', "", "../../migrations/tenant")).toThrow(POOL_MARKER);
  });
});
