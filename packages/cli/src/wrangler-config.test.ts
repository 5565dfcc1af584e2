import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { type TempConfig, tempWranglerConfig } from "./testing/test-helpers.ts";
import {
  appendD1Blocks,
  assertAppendable,
  nextTenantIndex,
  readWranglerConfig,
  tenantBindingsInConfig,
  tenantIndex,
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
