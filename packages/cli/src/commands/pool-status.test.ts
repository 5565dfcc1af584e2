import { afterEach, describe, expect, it } from "vitest";
import { run } from "../cli.ts";
import type { TenantPoolStatus } from "../nexus-api.ts";
import { type NexusApiStandIn, startNexusApiStandIn } from "../testing/nexus-api-stand-in.ts";
import { capture, closedLocalUrl, localOnlyFetch } from "../testing/test-helpers.ts";

const SECRET = "operator-secret-operator-secret-00";
const STATUS: TenantPoolStatus = {
  success: true,
  bindings: 3,
  free: 1,
  reserved: 1,
  assigned: 1,
  databases: [
    {
      binding_name: "TENANT_DB_0001",
      database_id: "d0000000-0000-4000-8000-000000000001",
      status: "assigned",
      company_id: "cmp_acme",
      schema_version: "0003",
    },
    {
      binding_name: "TENANT_DB_0002",
      database_id: null,
      status: "reserved",
      company_id: "cmp_new",
      schema_version: null,
    },
    {
      binding_name: "TENANT_DB_0003",
      database_id: null,
      status: "free",
      company_id: null,
      schema_version: null,
    },
  ],
};

let api: NexusApiStandIn | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function status(args: string[], env: Record<string, string> = {}, poolStatus = STATUS) {
  api = await startNexusApiStandIn({ adminSecret: SECRET, poolStatus });
  const stdout = capture();
  const stderr = capture();
  const code = await run(["tenants", "pool", "status", "--url", api.url, ...args], {
    env,
    cwd: "/",
    stdout,
    stderr,
    fetch: localOnlyFetch,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text(), authorizations: api.authorizations };
}

describe("tenants pool status", () => {
  it("prints the counts and a table of the pool's databases", async () => {
    const result = await status([], { NEXUS_ADMIN_SECRET: SECRET });
    expect(result.code).toBe(0);
    expect(result.authorizations).toEqual([`Bearer ${SECRET}`]);
    expect(result.stdout).toBe(
      [
        `Tenant database pool at ${api?.url}`,
        "  bindings  3",
        "  free      1",
        "  reserved  1",
        "  assigned  1",
        "",
        "BINDING         STATUS    COMPANY   SCHEMA  DATABASE ID",
        "TENANT_DB_0001  assigned  cmp_acme  0003    d0000000-0000-4000-8000-000000000001",
        "TENANT_DB_0002  reserved  cmp_new   -       -",
        "TENANT_DB_0003  free      -         -       -",
        "",
      ].join("\n"),
    );
  });

  it("--admin-secret wins over the env, and an empty pool gets a hint", async () => {
    const empty = { ...STATUS, free: 0, databases: [] };
    const result = await status(["--admin-secret", SECRET], { NEXUS_ADMIN_SECRET: "stale" }, empty);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "The pool is empty: registrations fail until you run `nexus tenants pool add <N>`.",
    );
  });

  it("prints the API's error code, message and request id, and exits non-zero", async () => {
    const result = await status(["--admin-secret", "wrong"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "error: UNAUTHORIZED: Missing or invalid admin credentials (HTTP 401, request id req_1)\n",
    );
  });

  it("rejects an answer that does not match the contract", async () => {
    const result = await status([], { NEXUS_ADMIN_SECRET: SECRET }, {
      ...STATUS,
      free: "1",
    } as unknown as TenantPoolStatus);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: unexpected answer from \/api\/admin\/tenant-pool: /);
  });

  it("asks for the admin secret when there is none", async () => {
    const result = await status([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: set NEXUS_ADMIN_SECRET or pass --admin-secret");
    expect(result.authorizations).toEqual([]);
  });

  it("says which URL it could not reach", async () => {
    const stderr = capture();
    const url = await closedLocalUrl();
    const code = await run(["tenants", "pool", "status", "--url", url, "--admin-secret", SECRET], {
      env: {},
      cwd: "/",
      stdout: capture(),
      stderr,
      fetch: localOnlyFetch,
    });
    expect(code).toBe(1);
    expect(stderr.text()).toContain(`error: could not reach the API at ${url}/api/admin/tenant-pool: `);
    expect(stderr.text()).toContain("ECONNREFUSED");
  });
});
