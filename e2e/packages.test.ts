// @nexus/client and the nexus CLI as an outside project gets them: each package is built, packed
// with `npm pack`, and installed from its tarball into a fresh npm project in a temp dir (zod, the
// client's one dependency, comes from the registry). The installed client is then loaded both ways
// (ESM import and CommonJS require) by plain Node and validates a machine and sends a heartbeat to the
// real worker; an app's minimal import is bundled and weighed; `npx nexus` runs from the install.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalSystem, startLocalSystem } from "./local-system.ts";

const exec = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The budget of an app that validates and sends heartbeats, minified and gzipped. */
const MINIMAL_IMPORT_BUDGET = 25 * 1024;

let tmp: string;
let consumer: string;
let system: LocalSystem;

/**
 * The machine's own Node and npm, as an outside project would use them: PATH without this repo's
 * node_modules/.bin (whose Node is the repo's pinned 22), and none of pnpm's npm_* settings.
 */
function outsideEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_/i.test(key) || key === "NODE_OPTIONS") delete env[key];
  }
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => !dir.includes("node_modules"))
    .join(delimiter);
  return env;
}

function inConsumer(command: string, args: string[]) {
  return exec(command, args, { cwd: consumer, env: outsideEnv(), timeout: 240_000 });
}

/** Builds a package with its build script and packs its dist/ into `tmp`; returns the tarball. */
async function buildAndPack(pkg: "client" | "cli"): Promise<string> {
  const dir = join(REPO_ROOT, "packages", pkg);
  await exec(join(REPO_ROOT, "node_modules/.bin/node"), ["scripts/build.ts"], { cwd: dir, timeout: 240_000 });
  const packDir = join(tmp, `pack-${pkg}`);
  await mkdir(packDir);
  await exec("npm", ["pack", "--pack-destination", packDir], {
    cwd: join(dir, "dist"),
    env: outsideEnv(),
    timeout: 120_000,
  });
  const [tarball] = await readdir(packDir);
  if (!tarball) throw new Error(`npm pack wrote nothing for ${pkg}`);
  return join(packDir, tarball);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "nexus-packages-"));
  consumer = join(tmp, "app");
  await mkdir(consumer);
  await writeFile(join(consumer, "package.json"), JSON.stringify({ name: "outside-app", private: true }));
  const client = await buildAndPack("client");
  const cli = await buildAndPack("cli");
  await inConsumer("npm", ["install", "--no-audit", "--no-fund", client, cli]);
  system = await startLocalSystem();
}, 600_000);

afterAll(async () => {
  await system?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/**
 * Each script validates a machine and sends a heartbeat with the installed package and prints what it
 * got; `oneClass` checks that a subpath's errors are the root's classes (one copy of the code).
 */
const scripts = {
  "esm.mjs": `
import { createNexusClient, NexusApiError, NexusError } from "@nexus/client";
import { updateFeedOptions } from "@nexus/client/updates";
import { NexusSyncError } from "@nexus/client/sync";
const [baseUrl, company_code] = process.argv.slice(2);
const client = createNexusClient({ baseUrl });
const machine = { company_code, machine_id: "outside-esm", hostname: "esm-host" };
const joined = await client.validate(machine);
const beat = await client.heartbeat({ ...machine, app_version: "1.0.0" }, joined.installation.token);
const feed = updateFeedOptions({ baseUrl, companyCode: company_code, token: joined.installation.token });
const refused = await client.heartbeat({ ...machine, app_version: "1.0.0" }, "not-a-token").catch((e) => e);
console.log(JSON.stringify({ node: process.version, joined: joined.success, beat, feed: feed.provider,
  refused: refused instanceof NexusApiError && refused.shouldRevalidate, oneClass: NexusSyncError.prototype instanceof NexusError }));
`,
  "cjs.cjs": `
const { createNexusClient, NexusApiError, NexusError } = require("@nexus/client");
const sync = require("@nexus/client/sync");
const [baseUrl, company_code] = process.argv.slice(2);
(async () => {
  const client = createNexusClient({ baseUrl });
  const machine = { company_code, machine_id: "outside-cjs", hostname: "cjs-host" };
  const joined = await client.validate(machine);
  const beat = await client.heartbeat({ ...machine, app_version: "1.0.0" }, joined.installation.token);
  const refused = await client.heartbeat({ ...machine, app_version: "1.0.0" }, "not-a-token").catch((e) => e);
  console.log(JSON.stringify({ node: process.version, joined: joined.success, beat,
    refused: refused instanceof NexusApiError && refused.shouldRevalidate, oneClass: sync.NexusSyncError.prototype instanceof NexusError }));
})().catch((error) => { console.error(error); process.exit(1); });
`,
};

describe("@nexus/client installed from its tarball", { timeout: 120_000 }, () => {
  it("has no workspace: dependency and only zod besides its own files", async () => {
    const { stdout } = await inConsumer("npm", ["ls", "--all", "--json"]);
    const tree = JSON.parse(stdout) as {
      dependencies: Record<string, { dependencies?: Record<string, unknown> }>;
    };
    expect(Object.keys(tree.dependencies).sort()).toEqual(["@nexus/cli", "@nexus/client"]);
    expect(Object.keys(tree.dependencies["@nexus/client"]?.dependencies ?? {})).toEqual(["zod"]);
    expect(tree.dependencies["@nexus/cli"]?.dependencies ?? {}).toEqual({});
  });

  for (const [script, how] of [
    ["esm.mjs", "import"],
    ["cjs.cjs", "require"],
  ] as const) {
    it(`validates and sends a heartbeat when loaded with ${how} by the machine's Node`, async () => {
      const company = await system.registerCompany({ company_name: `Outside ${how}` });
      await writeFile(join(consumer, script), scripts[script]);
      const { stdout } = await inConsumer("node", [script, system.url.origin, company.company_code]);
      const result = JSON.parse(stdout) as { node: string; beat: unknown };
      expect(Number(/^v(\d+)/.exec(result.node)?.[1])).toBeGreaterThanOrEqual(20);
      expect(result).toMatchObject({
        joined: true,
        beat: { success: true, force_update: false },
        refused: true,
        oneClass: true,
      });
    });
  }

  it("bundles validate + heartbeats for an app in at most 25 KB gzipped, without zod", async () => {
    await writeFile(
      join(consumer, "minimal.js"),
      `import { createNexusClient, startHeartbeats } from "@nexus/client";
const client = createNexusClient({ baseUrl: "https://central.example" });
const joined = await client.validate({ company_code: "ABC", machine_id: "m", hostname: "h" });
startHeartbeats({ client, request: { company_code: "ABC", machine_id: "m", app_version: "1.0.0" },
  token: joined.installation.token, settingsVersion: () => joined.settings_version,
  onSettings() {}, revalidate: async () => "" });
`,
    );
    const result = await build({
      entryPoints: [join(consumer, "minimal.js")],
      absWorkingDir: consumer,
      bundle: true,
      minify: true,
      format: "esm",
      platform: "neutral",
      write: false,
      logLevel: "error",
    });
    const output = result.outputFiles?.[0]?.contents;
    if (!output) throw new Error("esbuild wrote nothing");
    const gzipped = gzipSync(output).length;
    expect(gzipped).toBeLessThanOrEqual(MINIMAL_IMPORT_BUDGET);
    expect(new TextDecoder().decode(output)).not.toMatch(/ZodError|\$ZodType/);
  });

  it("type-checks an app's code against the installed declarations, as a bundler and as Node resolve them", async () => {
    const app = `import { createNexusClient, type ValidateResponse } from "@nexus/client";
import { createSyncClient } from "@nexus/client/sync";
import { updateFeedOptions, type UpdateFeedInput } from "@nexus/client/updates";
const client = createNexusClient({ baseUrl: "https://central.example" });
export const token: Promise<string> = client
  .validate({ company_code: "ABC", machine_id: "m", hostname: "h" })
  .then((joined: ValidateResponse) => joined.installation.token);
const input: UpdateFeedInput = { baseUrl: "https://central.example", companyCode: "ABC", token: "t" };
export const feed = updateFeedOptions(input).url;
export const sync: typeof createSyncClient = createSyncClient;
// @ts-expect-error heartbeat needs the installation token
client.heartbeat({ company_code: "ABC", machine_id: "m", app_version: "1.0.0" });
`;
    // app.ts through a bundler's resolution; app.mts (ESM) and app.cts (CommonJS) through Node's.
    await writeFile(join(consumer, "app.ts"), app);
    await writeFile(join(consumer, "app.mts"), app);
    await writeFile(join(consumer, "app.cts"), app);
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: "ES2022",
      lib: ["ES2023", "DOM"],
      types: [],
      skipLibCheck: true,
    };
    const configs = {
      "tsconfig.bundler.json": {
        compilerOptions: { ...compilerOptions, module: "ESNext", moduleResolution: "Bundler" },
        files: ["app.ts"],
      },
      "tsconfig.node.json": {
        compilerOptions: { ...compilerOptions, module: "Node16", moduleResolution: "Node16" },
        files: ["app.mts", "app.cts"],
      },
    };
    for (const [name, config] of Object.entries(configs)) {
      await writeFile(join(consumer, name), JSON.stringify(config));
      await exec(join(REPO_ROOT, "node_modules/.bin/tsc"), ["-p", join(consumer, name)], {
        cwd: consumer,
      }).catch((error: { stdout?: string }) => {
        throw new Error(`tsc -p ${name} failed:\n${error.stdout ?? String(error)}`);
      });
    }
  });
});

describe("the nexus CLI installed from its tarball", { timeout: 120_000 }, () => {
  it("runs with npx outside the repository", async () => {
    expect(existsSync(join(consumer, "node_modules/.bin/nexus"))).toBe(true);
    const { stdout } = await inConsumer("npx", ["--no-install", "nexus", "--version"]);
    expect(stdout.trim()).toMatch(/^nexus \d+\.\d+\.\d+/);
  });

  it("talks to the API with --json", async () => {
    const { stdout } = await inConsumer("npx", [
      "--no-install",
      "nexus",
      "tenants",
      "pool",
      "status",
      "--json",
      "--url",
      system.url.origin,
      // `=`: a generated secret may start with "-", which would read as the next flag.
      `--admin-secret=${system.adminSecret}`,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ bindings: expect.any(Number), free: expect.any(Number) });
  });

  it("explains an unknown flag and exits 2", async () => {
    const failure = await inConsumer("npx", ["--no-install", "nexus", "secrets", "generate", "--frob"]).catch(
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown flag --frob") });
  });
});
