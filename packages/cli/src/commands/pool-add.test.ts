import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../cli.ts";
import type { CloudflareApi, WorkerBinding } from "../cloudflare/api.ts";
import { createHttpCloudflareApi } from "../cloudflare/http-api.ts";
import {
  type CloudflareStandIn,
  type CloudflareStandInOptions,
  startCloudflareStandIn,
} from "../testing/cloudflare-stand-in.ts";
import { capture, localOnlyFetch, type TempConfig, tempWranglerConfig } from "../testing/test-helpers.ts";
import { tenantBindingsInConfig, tenantDatabasesInConfig } from "../wrangler-config.ts";
import { CONSUMERS_CONFIG, parseCount, poolAdd } from "./pool-add.ts";

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const TOKEN = "test-token-with-d1-and-workers-edit";
const SCRIPT = "nexus-central-api";
const TELEMETRY_SCRIPT = "nexus-central-telemetry";

const CONFIG = `name = "${SCRIPT}"
main = "workers/api/src/index.ts"

[vars]
REGISTRATION_MODE = "token"

[[d1_databases]]
binding = "CENTRAL_DB"
database_name = "nexus-central"
database_id = "c0000000-0000-4000-8000-000000000000"
migrations_dir = "migrations/central"

[[d1_databases]]
binding = "TENANT_DB_0001"
database_name = "nexus-tenant-0001"
database_id = "d0000000-0000-4000-8000-000000000001"
migrations_dir = "migrations/tenant"

[[d1_databases]]
binding = "TENANT_DB_0002"
database_name = "nexus-tenant-0002"
database_id = "d0000000-0000-4000-8000-000000000002"
migrations_dir = "migrations/tenant"
`;

// The queue consumer: the same central database and tenant pool, paths relative to its own folder.
const TELEMETRY = `name = "${TELEMETRY_SCRIPT}"
main = "src/index.ts"

[[queues.consumers]]
queue = "nexus-telemetry"

[[d1_databases]]
binding = "CENTRAL_DB"
database_name = "nexus-central"
database_id = "c0000000-0000-4000-8000-000000000000"
migrations_dir = "../../migrations/central"

[[d1_databases]]
binding = "TENANT_DB_0001"
database_name = "nexus-tenant-0001"
database_id = "d0000000-0000-4000-8000-000000000001"
migrations_dir = "../../migrations/tenant"

[[d1_databases]]
binding = "TENANT_DB_0002"
database_name = "nexus-tenant-0002"
database_id = "d0000000-0000-4000-8000-000000000002"
migrations_dir = "../../migrations/tenant"
`;

// What the deployed worker has: the config's bindings plus secrets and vars.
const DEPLOYED: WorkerBinding[] = [
  { type: "d1", name: "CENTRAL_DB", id: "c0000000-0000-4000-8000-000000000000" },
  { type: "d1", name: "TENANT_DB_0001", id: "d0000000-0000-4000-8000-000000000001" },
  { type: "d1", name: "TENANT_DB_0002", id: "d0000000-0000-4000-8000-000000000002" },
  { type: "plain_text", name: "REGISTRATION_MODE", text: "token" },
  { type: "secret_text", name: "NEXUS_ADMIN_SECRET", text: "admin-secret-value" },
  { type: "secret_text", name: "ENCRYPTION_KEYS", text: "1:key" },
  { type: "secret_text", name: "JWT_SIGNING_KEYS", text: "[]" },
];
const PUBLIC_DEPLOYED = DEPLOYED.filter((b) => b.type !== "secret_text");
const SECRETS_AS_INHERIT = DEPLOYED.filter((b) => b.type === "secret_text").map((b) => ({
  type: "inherit",
  name: b.name,
}));
const TELEMETRY_DEPLOYED: WorkerBinding[] = [
  { type: "d1", name: "CENTRAL_DB", id: "c0000000-0000-4000-8000-000000000000" },
  { type: "d1", name: "TENANT_DB_0001", id: "d0000000-0000-4000-8000-000000000001" },
  { type: "d1", name: "TENANT_DB_0002", id: "d0000000-0000-4000-8000-000000000002" },
  { type: "plain_text", name: "TELEMETRY_MINUTE_RETENTION_DAYS", text: "30" },
  { type: "queue", name: "TELEMETRY_DLQ", queue_name: "nexus-telemetry-dlq" },
];

let standIn: CloudflareStandIn;
let config: TempConfig;
/** Set by setupBoth: the consumers worker's config inside the temp project. */
let telemetryPath: string | undefined;
const cleanups: (() => Promise<void>)[] = [];

async function setup(overrides: Partial<CloudflareStandInOptions> = {}, toml = CONFIG) {
  standIn = await startCloudflareStandIn({
    accountId: ACCOUNT,
    apiToken: TOKEN,
    scripts: { [SCRIPT]: { bindings: DEPLOYED, compatibility_date: "2026-11-01" } },
    ...overrides,
  });
  config = await tempWranglerConfig(toml);
  telemetryPath = undefined;
  cleanups.push(standIn.close, config.cleanup);
}

/** The API worker and the consumers worker, deployed and configured with the same pool. */
async function setupBoth(overrides: Partial<CloudflareStandInOptions> = {}, telemetryToml = TELEMETRY) {
  await setup({
    scripts: {
      [SCRIPT]: { bindings: DEPLOYED, compatibility_date: "2026-11-01" },
      [TELEMETRY_SCRIPT]: { bindings: TELEMETRY_DEPLOYED, compatibility_date: "2026-11-01" },
    },
    ...overrides,
  });
  telemetryPath = await writeTelemetryConfig(config.path, telemetryToml);
}

/** Writes workers/consumers/wrangler.toml next to the main config, where the CLI looks by default. */
async function writeTelemetryConfig(mainConfigPath: string, toml: string): Promise<string> {
  const path = join(dirname(mainConfigPath), CONSUMERS_CONFIG);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, toml);
  return path;
}

function cloudflare(token = TOKEN): CloudflareApi {
  return createHttpCloudflareApi({
    baseUrl: standIn.baseUrl,
    accountId: ACCOUNT,
    apiToken: token,
    fetch: localOnlyFetch,
  });
}

async function add(count: number, options: { dryRun?: boolean; api?: CloudflareApi } = {}) {
  const stdout = capture();
  const stderr = capture();
  const code = await poolAdd(
    {
      count,
      configPath: config.path,
      alsoConfigPaths: telemetryPath === undefined ? [] : [telemetryPath],
      local: false,
      dryRun: options.dryRun ?? false,
    },
    { cloudflare: options.api ?? cloudflare(), stdout, stderr },
  );
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function patches() {
  return standIn.requests.filter((r) => r.method === "PATCH");
}

function block(binding: string, name: string, id: string, migrationsDir = "migrations/tenant"): string {
  return `[[d1_databases]]\nbinding = "${binding}"\ndatabase_name = "${name}"\ndatabase_id = "${id}"\nmigrations_dir = "${migrationsDir}"`;
}

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe("tenants pool add (against the Cloudflare stand-in)", () => {
  it("creates N databases, attaches them in one PATCH keeping every binding, records them in the config", async () => {
    await setup();
    const result = await add(3);

    expect(result.code).toBe(0);
    expect(standIn.databases.map((db) => db.name)).toEqual([
      "nexus-tenant-0003",
      "nexus-tenant-0004",
      "nexus-tenant-0005",
    ]);
    const uuids = standIn.databases.map((db) => db.uuid);
    const newBindings = ["TENANT_DB_0003", "TENANT_DB_0004", "TENANT_DB_0005"].map((name, i) => ({
      type: "d1",
      name,
      id: uuids[i],
    }));

    expect(patches()).toHaveLength(1);
    const sent = patches()[0]?.settings as { bindings: WorkerBinding[] };
    expect(Object.keys(sent)).toEqual(["bindings"]);
    expect(sent.bindings).toEqual(
      expect.arrayContaining([...PUBLIC_DEPLOYED, ...SECRETS_AS_INHERIT, ...newBindings]),
    );
    expect(sent.bindings).toHaveLength(DEPLOYED.length + 3);
    // Secrets survived the replace (the stand-in resolves inherit to the previous binding).
    expect(standIn.bindings(SCRIPT)).toEqual([...DEPLOYED, ...newBindings]);

    const after = await readFile(config.path, "utf8");
    expect(after).toBe(
      `${CONFIG}\n${[
        block("TENANT_DB_0003", "nexus-tenant-0003", `${uuids[0]}`),
        block("TENANT_DB_0004", "nexus-tenant-0004", `${uuids[1]}`),
        block("TENANT_DB_0005", "nexus-tenant-0005", `${uuids[2]}`),
      ].join("\n\n")}\n`,
    );
    expect(result.stdout).toContain(`[1/3] nexus-tenant-0003  created ${uuids[0]}`);
    expect(result.stdout).toContain(`[3/3] nexus-tenant-0005  created ${uuids[2]}`);
    expect(result.stdout).toContain("pnpm types");
    expect(result.stderr).toBe("");
  });

  it("continues after the highest index, whether deployed or only in the config", async () => {
    const deployed = [
      ...DEPLOYED,
      { type: "d1", name: "TENANT_DB_0041", id: "d0000000-0000-4000-8000-000000000041" },
    ];
    await setup({ scripts: { [SCRIPT]: { bindings: deployed } } });
    let result = await add(2);
    expect(result.code).toBe(0);
    expect(standIn.databases.map((db) => db.name)).toEqual(["nexus-tenant-0042", "nexus-tenant-0043"]);
    // TENANT_DB_0041 is bound but not in the config: the next deploy would drop it.
    expect(result.stderr).toMatch(
      /warning: TENANT_DB_0041 is bound to worker nexus-central-api but not in .*wrangler\.toml/,
    );

    // A second run continues after the first (now both deployed and recorded).
    result = await add(1);
    expect(result.code).toBe(0);
    expect(standIn.databases.map((db) => db.name).at(-1)).toBe("nexus-tenant-0044");
    expect(tenantBindingsInConfig(await readFile(config.path, "utf8"))).toEqual([
      "TENANT_DB_0001",
      "TENANT_DB_0002",
      "TENANT_DB_0042",
      "TENANT_DB_0043",
      "TENANT_DB_0044",
    ]);
  });

  it("uses indexes above bindings that are in the config but not deployed yet", async () => {
    await setup(
      {},
      `${CONFIG}\n${block("TENANT_DB_0007", "nexus-tenant-0007", "d0000000-0000-4000-8000-000000000007")}\n`,
    );
    expect((await add(1)).code).toBe(0);
    expect(standIn.databases.map((db) => db.name)).toEqual(["nexus-tenant-0008"]);
  });

  it("fails clearly on a bad token, creating and appending nothing", async () => {
    await setup();
    const stdout = capture();
    const stderr = capture();
    const code = await run(["tenants", "pool", "add", "2", "--config", config.path], {
      env: {
        CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
        CLOUDFLARE_API_TOKEN: "wrong",
        CLOUDFLARE_API_BASE_URL: standIn.baseUrl,
      },
      cwd: "/",
      stdout,
      stderr,
      fetch: localOnlyFetch,
    });
    expect(code).toBe(1);
    expect(stderr.text()).toBe(
      `error: Cloudflare API: read settings of worker ${SCRIPT} failed (HTTP 403): [9109] Invalid access token\n`,
    );
    expect(standIn.databases).toEqual([]);
    expect(patches()).toEqual([]);
    expect(await readFile(config.path, "utf8")).toBe(CONFIG);
  });

  it("names the worker when the script does not exist", async () => {
    await setup({}, CONFIG.replace(`name = "${SCRIPT}"`, 'name = "nexus-typo"'));
    await expect(add(1)).rejects.toThrow(
      "read settings of worker nexus-typo failed (HTTP 404): [10007] This Worker does not exist on your account.",
    );
    expect(standIn.databases).toEqual([]);
  });

  it("attaches and records the databases created before a failure, reports the failure, exits non-zero", async () => {
    await setup({
      failD1Create: (call) =>
        call === 2 ? { status: 400, code: 7406, message: "Maximum number of databases reached" } : undefined,
    });
    const result = await add(3);

    expect(result.code).toBe(1);
    expect(standIn.databases.map((db) => db.name)).toEqual(["nexus-tenant-0003"]);
    const uuid = standIn.databases[0]?.uuid;
    expect(patches()).toHaveLength(1);
    expect(standIn.bindings(SCRIPT)).toEqual([...DEPLOYED, { type: "d1", name: "TENANT_DB_0003", id: uuid }]);
    expect(await readFile(config.path, "utf8")).toBe(
      `${CONFIG}\n${block("TENANT_DB_0003", "nexus-tenant-0003", `${uuid}`)}\n`,
    );
    expect(result.stdout).toContain("[2/3] nexus-tenant-0004  FAILED");
    expect(result.stdout).toContain("Created and recorded TENANT_DB_0003 (1 of 3)");
    expect(result.stderr).toContain(
      "error: creating nexus-tenant-0004 failed: Cloudflare API: create D1 database nexus-tenant-0004 failed (HTTP 400): [7406] Maximum number of databases reached",
    );
    expect(result.stderr).toContain("not attempted: nexus-tenant-0005");
  });

  it("changes nothing when the very first create fails", async () => {
    await setup({ failD1Create: () => ({ status: 500, code: 7500, message: "Internal error" }) });
    await expect(add(2)).rejects.toThrow(
      /no database was created, nothing changed\.\n.*\[7500\] Internal error/,
    );
    expect(patches()).toEqual([]);
    expect(await readFile(config.path, "utf8")).toBe(CONFIG);
  });

  it("keeps created databases in the config when attaching them fails", async () => {
    await setup();
    const http = cloudflare();
    const api: CloudflareApi = {
      ...http,
      patchScriptSettings: () => Promise.reject(new Error("connection reset")),
    };
    const result = await add(2, { api });
    expect(result.code).toBe(1);
    expect(tenantBindingsInConfig(await readFile(config.path, "utf8"))).toContain("TENANT_DB_0004");
    expect(result.stderr).toContain(`error: attaching the bindings to ${SCRIPT} failed: connection reset`);
    expect(result.stderr).toContain(`\`wrangler deploy --config ${config.path}\` attaches them to ${SCRIPT}`);
  });

  it("prints the block of a database it created but could not record, and still attaches it", async () => {
    await setup();
    const http = cloudflare();
    const api: CloudflareApi = {
      ...http,
      // The config disappears right after the 2nd database is created.
      createD1Database: async (name) => {
        const database = await http.createD1Database(name);
        if (name === "nexus-tenant-0004") await rm(config.path);
        return database;
      },
    };
    const result = await add(3, { api });

    expect(result.code).toBe(1);
    const uuid = standIn.databases[1]?.uuid;
    expect(standIn.databases.map((db) => db.name)).toEqual(["nexus-tenant-0003", "nexus-tenant-0004"]);
    expect(standIn.bindings(SCRIPT).map((b) => b.name)).toContain("TENANT_DB_0004");
    expect(result.stderr).toContain(
      `error: nexus-tenant-0004 was created but recording it in ${config.path} failed`,
    );
    expect(result.stderr).toContain(block("TENANT_DB_0004", "nexus-tenant-0004", `${uuid}`));
    expect(result.stderr).toContain("not attempted: nexus-tenant-0005");
  });

  it("--dry-run reads the deployed bindings and changes nothing", async () => {
    await setup();
    const result = await add(2, { dryRun: true });
    expect(result.code).toBe(0);
    expect(standIn.requests.map((r) => r.method)).toEqual(["GET"]);
    expect(standIn.databases).toEqual([]);
    expect(await readFile(config.path, "utf8")).toBe(CONFIG);
    expect(result.stdout).toContain(
      "TENANT_DB_0003 -> nexus-tenant-0003\n  TENANT_DB_0004 -> nexus-tenant-0004\n",
    );
    expect(result.stdout).toContain("keeping the 7 existing bindings (3 secrets as inherit)");
    expect(result.stdout).toContain("Nothing was changed.");
  });
});

describe("tenants pool add with the consumers worker sharing the pool", () => {
  function runCli(args: string[], env: Record<string, string> = {}) {
    const stdout = capture();
    const stderr = capture();
    return run(["tenants", "pool", "add", ...args, "--config", config.path], {
      env: { CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_API_TOKEN: TOKEN, ...env },
      cwd: "/",
      stdout,
      stderr,
      fetch: localOnlyFetch,
    }).then((code) => ({ code, stdout: stdout.text(), stderr: stderr.text() }));
  }

  async function readBoth() {
    return {
      api: await readFile(config.path, "utf8"),
      telemetry: await readFile(telemetryPath ?? "", "utf8"),
    };
  }

  it("finds workers/consumers by default and attaches the new databases to both workers", async () => {
    await setupBoth();
    const result = await runCli(["2"], { CLOUDFLARE_API_BASE_URL: standIn.baseUrl });

    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    // Each database is created once and bound under the same name and id by both workers.
    expect(standIn.databases.map((db) => db.name)).toEqual(["nexus-tenant-0003", "nexus-tenant-0004"]);
    const added = standIn.databases.map((db, i) => ({
      type: "d1",
      name: `TENANT_DB_000${i + 3}`,
      id: db.uuid,
    }));
    expect(patches().map((p) => p.path)).toEqual([
      `/client/v4/accounts/${ACCOUNT}/workers/scripts/${SCRIPT}/settings`,
      `/client/v4/accounts/${ACCOUNT}/workers/scripts/${TELEMETRY_SCRIPT}/settings`,
    ]);
    // Each worker keeps its own bindings (the consumers worker's queue binding included).
    expect(standIn.bindings(SCRIPT)).toEqual([...DEPLOYED, ...added]);
    expect(standIn.bindings(TELEMETRY_SCRIPT)).toEqual([...TELEMETRY_DEPLOYED, ...added]);

    const { api, telemetry } = await readBoth();
    const [first, second] = standIn.databases.map((db) => db.uuid);
    expect(api).toBe(
      `${CONFIG}\n${block("TENANT_DB_0003", "nexus-tenant-0003", `${first}`)}\n\n` +
        `${block("TENANT_DB_0004", "nexus-tenant-0004", `${second}`)}\n`,
    );
    expect(telemetry).toBe(
      `${TELEMETRY}\n${block("TENANT_DB_0003", "nexus-tenant-0003", `${first}`, "../../migrations/tenant")}\n\n` +
        `${block("TENANT_DB_0004", "nexus-tenant-0004", `${second}`, "../../migrations/tenant")}\n`,
    );
    expect(tenantDatabasesInConfig(telemetry)).toEqual(tenantDatabasesInConfig(api));
    expect(result.stdout).toContain(`Attaching 2 bindings to ${SCRIPT} (`);
    expect(result.stdout).toContain(`Attaching 2 bindings to ${TELEMETRY_SCRIPT} (`);
    expect(result.stdout).toContain(`Commit ${config.path} and ${telemetryPath}:`);
  });

  it("--no-also-config leaves the consumers worker and its config alone", async () => {
    await setupBoth();
    const result = await runCli(["1", "--no-also-config"], { CLOUDFLARE_API_BASE_URL: standIn.baseUrl });
    expect(result.code).toBe(0);
    expect(patches()).toHaveLength(1);
    expect(standIn.bindings(TELEMETRY_SCRIPT)).toEqual(TELEMETRY_DEPLOYED);
    expect((await readBoth()).telemetry).toBe(TELEMETRY);
  });

  it("refuses configs whose pools differ, naming the bindings, before any Cloudflare call or write", async () => {
    const drifted = TELEMETRY.replace(
      "d0000000-0000-4000-8000-000000000002",
      "e0000000-0000-4000-8000-000000000002",
    ).concat(`\n${block("TENANT_DB_0009", "nexus-tenant-0009", "d0000000-0000-4000-8000-000000000009")}\n`);
    await setupBoth({}, drifted);

    for (const local of [false, true]) {
      const result = await runCli(["2", ...(local ? ["--local"] : [])], {
        CLOUDFLARE_API_BASE_URL: standIn.baseUrl,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        "error: the workers' configs declare different tenant pools; nothing was changed.\n" +
          `${telemetryPath} differs from ${config.path}:\n` +
          '  TENANT_DB_0002: database_id "e0000000-0000-4000-8000-000000000002" instead of "d0000000-0000-4000-8000-000000000002"\n' +
          `  TENANT_DB_0009: not in ${config.path}\n` +
          "Make every config declare the same TENANT_DB_* databases (binding, database_name, database_id), " +
          "then run this again.\n",
      );
    }
    expect(standIn.requests).toEqual([]);
    expect(await readBoth()).toEqual({ api: CONFIG, telemetry: drifted });
  });

  it("reports a failed attach per worker, exits 1 and says how to recover", async () => {
    await setupBoth();
    const http = cloudflare();
    const api: CloudflareApi = {
      ...http,
      patchScriptSettings: (script, settings) =>
        script === TELEMETRY_SCRIPT
          ? Promise.reject(new Error("connection reset"))
          : http.patchScriptSettings(script, settings),
    };
    const result = await add(2, { api });

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`Attaching 2 bindings to ${SCRIPT} \\(.*\\.\\.\\. done\n`));
    expect(result.stdout).toMatch(
      new RegExp(`Attaching 2 bindings to ${TELEMETRY_SCRIPT} \\(.*\\.\\.\\. FAILED\n`),
    );
    expect(standIn.bindings(SCRIPT).map((b) => b.name)).toContain("TENANT_DB_0004");
    expect(standIn.bindings(TELEMETRY_SCRIPT)).toEqual(TELEMETRY_DEPLOYED);
    expect(result.stderr).toBe(
      `error: attaching the bindings to ${TELEMETRY_SCRIPT} failed: connection reset\n` +
        `The databases are recorded in ${telemetryPath}; \`wrangler deploy --config ${telemetryPath}\` ` +
        `attaches them to ${TELEMETRY_SCRIPT}.\n` +
        `Deploy it soon: ${SCRIPT} may already give these databases to new tenants, and ${TELEMETRY_SCRIPT} ` +
        "cannot open them until then.\n",
    );
    // Both configs still record both databases, so the deploy binds them.
    const { api: apiToml, telemetry } = await readBoth();
    expect(tenantBindingsInConfig(telemetry)).toEqual(tenantBindingsInConfig(apiToml));
    expect(tenantBindingsInConfig(telemetry)).toContain("TENANT_DB_0004");
  });

  it("--dry-run names every worker and config and changes nothing", async () => {
    await setupBoth();
    const result = await add(1, { dryRun: true });
    expect(result.code).toBe(0);
    expect(standIn.requests.map((r) => r.method)).toEqual(["GET", "GET"]);
    expect(result.stdout).toContain(`Worker ${TELEMETRY_SCRIPT} has 5 bindings, 2 of them tenant databases`);
    expect(result.stdout).toContain(
      "Would attach them with one settings update per worker:\n" +
        `  ${SCRIPT}: keeping the 7 existing bindings (3 secrets as inherit)\n` +
        `  ${TELEMETRY_SCRIPT}: keeping the 5 existing bindings (0 secrets as inherit)\n` +
        `and append 1 [[d1_databases]] entry to ${config.path} and ${telemetryPath}.\nNothing was changed.\n`,
    );
    expect(await readBoth()).toEqual({ api: CONFIG, telemetry: TELEMETRY });
  });

  it("--local appends the same entries, with the same ids, to both configs", async () => {
    await setupBoth();
    let uuid = 0;
    const stdout = capture();
    const code = await poolAdd(
      {
        count: 2,
        configPath: config.path,
        alsoConfigPaths: [telemetryPath ?? ""],
        local: true,
        dryRun: false,
      },
      { stdout, stderr: capture(), randomUUID: () => `00000000-0000-4000-8000-00000000010${++uuid}` },
    );

    expect(code).toBe(0);
    const blocks = (migrationsDir: string) =>
      [
        block("TENANT_DB_0003", "nexus-tenant-0003", "00000000-0000-4000-8000-000000000101", migrationsDir),
        block("TENANT_DB_0004", "nexus-tenant-0004", "00000000-0000-4000-8000-000000000102", migrationsDir),
      ].join("\n\n");
    expect(await readBoth()).toEqual({
      api: `${CONFIG}\n${blocks("migrations/tenant")}\n`,
      telemetry: `${TELEMETRY}\n${blocks("../../migrations/tenant")}\n`,
    });
    expect(stdout.text()).toContain(
      `Added TENANT_DB_0003 .. TENANT_DB_0004 to ${config.path} and ${telemetryPath}`,
    );
    expect(standIn.requests).toEqual([]);
  });

  it("--local --dry-run mentions every config", async () => {
    await setupBoth();
    const result = await runCli(["1", "--local", "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`to ${config.path}:\n\n[[d1_databases]]\nbinding = "TENANT_DB_0003"`);
    expect(result.stdout).toContain(
      `and the same entries to ${telemetryPath} (migrations_dir = "../../migrations/tenant")\nNothing was changed.\n`,
    );
    expect(await readBoth()).toEqual({ api: CONFIG, telemetry: TELEMETRY });
  });

  it("takes --also-config paths instead of the default, and refuses one it cannot read", async () => {
    await setupBoth();
    const other = join(dirname(config.path), "workers/other/wrangler.toml");
    let result = await runCli(["1", "--local", "--also-config", other]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: cannot read wrangler config ${other} (ENOENT)\n`);

    await mkdir(dirname(other), { recursive: true });
    await writeFile(other, TELEMETRY.replace(TELEMETRY_SCRIPT, "nexus-central-other"));
    result = await runCli(["1", "--local", "--also-config", other]);
    expect(result.code).toBe(0);
    expect(tenantBindingsInConfig(await readFile(other, "utf8"))).toContain("TENANT_DB_0003");
    expect((await readBoth()).telemetry).toBe(TELEMETRY);

    result = await runCli(["1", "--local", "--also-config", other, "--no-also-config"]);
    expect(result.code).toBe(2);
  });
});

describe("tenants pool add --local", () => {
  let local: TempConfig;
  beforeEach(async () => {
    local = await tempWranglerConfig();
  });
  afterEach(() => local.cleanup());

  function runLocal(args: string[]) {
    const stdout = capture();
    const stderr = capture();
    const calls: string[] = [];
    const code = run(["tenants", "pool", "add", ...args, "--local", "--config", local.path], {
      env: {},
      cwd: "/",
      stdout,
      stderr,
      fetch: (url) => {
        calls.push(url);
        return Promise.reject(new Error("no network in --local"));
      },
    });
    return code.then((exit) => ({ exit, calls, stdout: stdout.text(), stderr: stderr.text() }));
  }

  it("appends N bindings with fresh UUIDs to a copy of the repo's config, without credentials or network", async () => {
    const before = await readFile(local.path, "utf8");
    const highest = Math.max(
      ...[...before.matchAll(/binding = "TENANT_DB_(\d+)"/g)].map((m) => Number(m[1])),
    );

    const result = await runLocal(["2"]);

    expect(result).toMatchObject({ exit: 0, calls: [], stderr: "" });
    const after = await readFile(local.path, "utf8");
    expect(after.startsWith(before)).toBe(true);
    const added = [
      ...after
        .slice(before.length)
        .matchAll(/binding = "(TENANT_DB_\d+)"\ndatabase_name = "(.+)"\ndatabase_id = "(.+)"/g),
    ];
    const pad = (n: number) => String(n).padStart(4, "0");
    expect(added.map((m) => [m[1], m[2]])).toEqual([
      [`TENANT_DB_${pad(highest + 1)}`, `nexus-tenant-${pad(highest + 1)}`],
      [`TENANT_DB_${pad(highest + 2)}`, `nexus-tenant-${pad(highest + 2)}`],
    ]);
    const ids = added.map((m) => m[3]);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(2);
    expect(result.stdout).toContain("pnpm types");
  });

  it("--local --dry-run prints the blocks and leaves the file alone", async () => {
    const before = await readFile(local.path, "utf8");
    const result = await runLocal(["3", "--dry-run"]);
    expect(result.exit).toBe(0);
    expect(await readFile(local.path, "utf8")).toBe(before);
    expect(result.stdout.match(/^binding = "TENANT_DB_\d+"$/gm)).toHaveLength(3);
    expect(result.stdout).toContain("Nothing was changed.");
  });
});

describe("N and credentials", () => {
  it.each(["0", "501", "abc", "2.5", "-1", "1e2"])("rejects N = %s", (raw) => {
    expect(() => parseCount(raw)).toThrow(`N must be a whole number from 1 to 500 (got "${raw}")`);
  });

  it("accepts 1 and 500", () => {
    expect([parseCount("1"), parseCount("500")]).toEqual([1, 500]);
  });

  it("answers a bad or missing N with exit code 2 and a hint", async () => {
    for (const args of [["501"], []]) {
      const stderr = capture();
      const code = await run(["tenants", "pool", "add", ...args, "--local"], {
        env: {},
        cwd: "/",
        stdout: capture(),
        stderr,
        fetch: localOnlyFetch,
      });
      expect(code).toBe(2);
      expect(stderr.text()).toMatch(/^error: .*\nRun `nexus help` for usage\.\n$/);
    }
  });

  it("names the missing Cloudflare variables", async () => {
    const config = await tempWranglerConfig(CONFIG);
    const stderr = capture();
    const code = await run(["tenants", "pool", "add", "1", "--config", config.path], {
      env: { CLOUDFLARE_ACCOUNT_ID: ACCOUNT },
      cwd: "/",
      stdout: capture(),
      stderr,
      fetch: localOnlyFetch,
    });
    await config.cleanup();
    expect(code).toBe(1);
    expect(stderr.text()).toContain("error: CLOUDFLARE_API_TOKEN must be set");
  });
});
