// Command-line routing: turns argv into a command call with its dependencies. Kept apart from
// main.ts so tests can run the whole CLI in-process with their own env, fetch and output.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { CloudflareApi } from "./cloudflare/api.ts";
import { cloudflareApiFromEnv } from "./cloudflare/http-api.ts";
import { parseCount, poolAdd } from "./commands/pool-add.ts";
import { poolStatus } from "./commands/pool-status.ts";
import { secretsGenerate } from "./commands/secrets.ts";
import { CliError, UsageError } from "./errors.ts";
import type { Fetch, TextSink } from "./io.ts";
import { DEFAULT_API_URL } from "./nexus-api.ts";

export const USAGE = `Usage: nexus <command> [options]     (from the repo root: pnpm nexus <command>)

Commands:
  tenants pool status          Free/reserved/assigned tenant databases of a running API
      --url <url>              API base URL (env NEXUS_API_URL, default ${DEFAULT_API_URL})
      --admin-secret <secret>  Operator secret (env NEXUS_ADMIN_SECRET)

  tenants pool add <N>         Create N tenant D1 databases (1..500), attach them to the deployed
                               API worker and record them in the wrangler config
      --config <path>          Wrangler config to read and extend (default wrangler.toml)
      --local                  Only add the bindings to the config; no Cloudflare calls
      --dry-run                Print what would happen, change nothing
                               Env: CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN,
                               CLOUDFLARE_API_BASE_URL (default https://api.cloudflare.com/client/v4)

  secrets generate             Print fresh NEXUS_ADMIN_SECRET, ENCRYPTION_KEYS and JWT_SIGNING_KEYS
                               as .dev.vars lines

  help                         Show this text
`;

export interface RunDeps {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: TextSink;
  stderr: TextSink;
  fetch: Fetch;
  /** Overrides the HTTP Cloudflare client built from the env (tests, demos). */
  cloudflare?: CloudflareApi;
}

const OPTIONS = {
  url: { type: "string" },
  "admin-secret": { type: "string" },
  config: { type: "string" },
  local: { type: "boolean" },
  "dry-run": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;
type OptionName = keyof typeof OPTIONS;

/** Runs one command line and returns the process exit code. */
export async function run(argv: string[], deps: RunDeps): Promise<number> {
  try {
    return await dispatch(argv, deps);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    deps.stderr.write(`error: ${error.message}\n`);
    if (error instanceof UsageError) deps.stderr.write("Run `nexus help` for usage.\n");
    return error.exitCode;
  }
}

async function dispatch(argv: string[], deps: RunDeps): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const command = positionals.slice(0, 3).join(" ");

  if (positionals.length === 0 || positionals[0] === "help" || values.help) {
    deps.stdout.write(USAGE);
    return 0;
  }
  if (command === "tenants pool status") {
    allowOnly(values, ["url", "admin-secret"], command);
    expectArgs(positionals, 3, command);
    const adminSecret = values["admin-secret"] ?? deps.env.NEXUS_ADMIN_SECRET;
    if (!adminSecret) throw new UsageError("set NEXUS_ADMIN_SECRET or pass --admin-secret");
    const baseUrl = values.url ?? deps.env.NEXUS_API_URL ?? DEFAULT_API_URL;
    return poolStatus({ baseUrl, adminSecret }, deps);
  }
  if (command === "tenants pool add") {
    allowOnly(values, ["config", "local", "dry-run"], command);
    expectArgs(positionals, 4, command);
    const count = parseCount(positionals[3]);
    const local = values.local ?? false;
    return poolAdd(
      {
        count,
        configPath: resolve(deps.cwd, values.config ?? "wrangler.toml"),
        local,
        dryRun: values["dry-run"] ?? false,
      },
      {
        stdout: deps.stdout,
        stderr: deps.stderr,
        // Built only when needed, so --local works without Cloudflare credentials.
        cloudflare: local ? undefined : (deps.cloudflare ?? cloudflareApiFromEnv(deps.env, deps.fetch)),
      },
    );
  }
  if (positionals.slice(0, 2).join(" ") === "secrets generate") {
    allowOnly(values, [], "secrets generate");
    expectArgs(positionals, 2, "secrets generate");
    return secretsGenerate({ stdout: deps.stdout });
  }
  throw new UsageError(`unknown command "${positionals.join(" ")}"`);
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs explains unknown flags and missing values well; only the exit code changes.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function allowOnly(
  values: Partial<Record<OptionName, unknown>>,
  allowed: OptionName[],
  command: string,
): void {
  const extra = Object.keys(values).filter((name) => !allowed.includes(name as OptionName));
  if (extra.length > 0) throw new UsageError(`${command} does not take --${extra.join(", --")}`);
}

function expectArgs(positionals: string[], count: number, command: string): void {
  if (positionals.length > count) {
    throw new UsageError(`unexpected argument "${positionals[count]}" after \`${command}\``);
  }
}
