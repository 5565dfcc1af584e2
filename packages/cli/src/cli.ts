// Command-line routing: turns argv into a command call with its dependencies. Kept apart from
// main.ts so tests can run the whole CLI in-process with their own env, fetch and output.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ChannelNameSchema, CreateDocumentRequestSchema } from "@nexus/contracts";
import type { CloudflareApi } from "./cloudflare/api.ts";
import { cloudflareApiFromEnv } from "./cloudflare/http-api.ts";
import { adminCreate } from "./commands/admin-create.ts";
import { documentsUpload } from "./commands/documents-upload.ts";
import { CONSUMERS_CONFIG, defaultAlsoConfigPaths, parseCount, poolAdd } from "./commands/pool-add.ts";
import { poolStatus } from "./commands/pool-status.ts";
import { releasePublish } from "./commands/release-publish.ts";
import { SEARCH_INDEX_ACTIONS, type SearchIndexAction, searchIndex } from "./commands/search-index.ts";
import { secretsGenerate } from "./commands/secrets.ts";
import {
  parseProjectId,
  parseRelease,
  parseUrlPrefix,
  sourcemapsUpload,
} from "./commands/sourcemaps-upload.ts";
import { CliError, UsageError } from "./errors.ts";
import type { Fetch, TerminalSink, TextSink } from "./io.ts";
import { DEFAULT_API_URL } from "./nexus-api.ts";
import { CLI_VERSION } from "./version.ts";

export const USAGE = `Usage: nexus <command> [options]     (from the repo root: pnpm nexus <command>)

Commands:
  tenants pool status          Free/reserved/assigned tenant databases of a running API
      --url <url>              API base URL (env NEXUS_API_URL, default ${DEFAULT_API_URL})
      --admin-secret <secret>  Operator secret (env NEXUS_ADMIN_SECRET)

  tenants pool add <N>         Create N tenant D1 databases (1..500), attach them to the deployed
                               API worker and every other worker sharing the pool, and record them
                               in each worker's wrangler config (all must declare the same pool)
      --config <path>          The API worker's wrangler config (default wrangler.toml)
      --also-config <path>     Config of another worker that binds the pool; repeatable (default
                               ${CONSUMERS_CONFIG} next to --config, if it exists)
      --no-also-config         Only the --config worker
      --local                  Only add the bindings to the configs; no Cloudflare calls
      --dry-run                Print what would happen, change nothing
                               Env: CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN,
                               CLOUDFLARE_API_BASE_URL (default https://api.cloudflare.com/client/v4)

  release publish <dir>        Upload an electron-builder output folder (channel files, installers,
                               blockmaps; all verified against the channel files first) as a
                               release and publish it. Safe to run again: a draft gets only its
                               missing files; an identical published release is left alone
      --channel <name>         Update channel to publish on (required), e.g. stable, beta
      --notes <file>           Release notes (default: the channel files' releaseNotes)
      --rollout <percent>      Start as a staged rollout to this share of installations (0..100)
      --ramp-hours <h>         With --rollout: ramp linearly to 100 % over h hours
      --url <url>              API base URL (env NEXUS_API_URL, default ${DEFAULT_API_URL})
      --admin-secret <secret>  Operator secret (env NEXUS_ADMIN_SECRET)

  documents upload <folder>    Upload every file of a folder to a company's document library (one
                               request per file, or resumable parts above 95 MiB; sha256 checked
                               by the API). Dotfiles are skipped, symlinks leaving the folder
                               refused; a file the API refuses (e.g. a type the company does not
                               take) is reported and the rest still go; exit 1 if any failed
      --company <id>           The company's id (required)
      --tag <tag>              Tag every document; repeatable
      --machine <id>           Link every document to this machine
      --project <id>           Link every document to this project
      --recursive              Include subfolders
      --url <url>              API base URL (env NEXUS_API_URL, default ${DEFAULT_API_URL})
      --admin-secret <secret>  Operator secret (env NEXUS_ADMIN_SECRET; or a company API key in
                               env NEXUS_API_KEY)

  sourcemaps upload <dir>      Upload every source map (*.map, subfolders included) of a build
                               folder for one release of an error project, so stack traces of that
                               release are symbolicated; x/app.js.map is stored for the minified
                               file <url-prefix>x/app.js. A map the API refuses is reported and the
                               rest still go; exit 1 if any failed
      --company <id>           The company's id (required)
      --project <id>           The error project's numeric id, the DSN's last part (required)
      --release <release>      The release exactly as the app's Sentry SDK sends it (required),
                               e.g. desktop@1.4.2
      --url-prefix <prefix>    Where the app loads the folder's files from (default ~/), e.g.
                               ~/static/js or app:///dist
      --url <url>              API base URL (env NEXUS_API_URL, default ${DEFAULT_API_URL})
      --admin-secret <secret>  Operator secret (env NEXUS_ADMIN_SECRET; or a company API key with
                               errors:manage in env NEXUS_API_KEY)

  search status                A company's search index: entries per type, FTS5 integrity check
  search rebuild               Rebuild the index from the records (after a restore, or to repair it)
  search drop                  Drop the index's FTS5 tables so \`wrangler d1 export\` can run (it
                               refuses virtual tables); search answers SEARCH_INDEX_MISSING until a
                               rebuild. Backup: drop, export, rebuild; restore: import, rebuild
      --company <id>           One company
      --all                    Every company, one progress line each; exit 1 if any failed
      --url <url>              API base URL (env NEXUS_API_URL, default ${DEFAULT_API_URL})
      --admin-secret <secret>  Operator secret (env NEXUS_ADMIN_SECRET)

  admin create                 Create a platform operator (a dashboard user with the admin role)
      --email <email>          The operator's sign-in email (required)
      --name <name>            Display name (default: the email's local part)
      --password <password>    At least 10 characters (or env NEXUS_OPERATOR_PASSWORD)
      --url <url>              API base URL (env NEXUS_API_URL, default ${DEFAULT_API_URL})
      --admin-secret <secret>  Operator secret (env NEXUS_ADMIN_SECRET)

  secrets generate             Print fresh NEXUS_ADMIN_SECRET, ENCRYPTION_KEYS, JWT_SIGNING_KEYS and
                               BETTER_AUTH_SECRET as .dev.vars lines

  help [command]               Show this text, or one command's (also: nexus <command> --help)

Global options:
  --version, -v                Print the CLI's version
  --json                       Machine-readable output: JSON on stdout for tenants pool status,
                               search, admin create, secrets generate and --version; errors as
                               JSON on stderr
`;

/** The commands, as `help <command>` and `<command> --help` name them. */
const COMMANDS = [
  "tenants pool status",
  "tenants pool add",
  "release publish",
  "documents upload",
  "sourcemaps upload",
  "search status",
  "search rebuild",
  "search drop",
  "admin create",
  "secrets generate",
] as const;

/** One command's block of USAGE, so its help shows only what applies to it. */
export function commandUsage(command: (typeof COMMANDS)[number]): string {
  // USAGE's blocks are separated by blank lines; the first one also carries the "Commands:" title.
  const lines = USAGE.split("\n\n")
    .map((block) => block.split("\n"))
    .find((block) => block.some((line) => line.trimStart().startsWith(`${command} `)));
  const start = lines?.findIndex((line) => line.trimStart().startsWith(`${command} `)) ?? 0;
  const block = (lines ?? []).slice(start).join("\n");
  return `Usage: nexus ${command} [options]\n\n${block.replace(/\n+$/, "")}\n`;
}

/** The command named by the leading positionals, if any. */
function commandOf(words: string[]): (typeof COMMANDS)[number] | undefined {
  return COMMANDS.find((command) => {
    const parts = command.split(" ");
    return parts.every((part, index) => words[index] === part);
  });
}

export interface RunDeps {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: TextSink;
  stderr: TerminalSink;
  fetch: Fetch;
  /** Overrides the HTTP Cloudflare client built from the env (tests, demos). */
  cloudflare?: CloudflareApi;
}

const OPTIONS = {
  url: { type: "string" },
  "admin-secret": { type: "string" },
  config: { type: "string" },
  "also-config": { type: "string", multiple: true },
  "no-also-config": { type: "boolean" },
  local: { type: "boolean" },
  "dry-run": { type: "boolean" },
  channel: { type: "string" },
  notes: { type: "string" },
  rollout: { type: "string" },
  "ramp-hours": { type: "string" },
  email: { type: "string" },
  name: { type: "string" },
  password: { type: "string" },
  company: { type: "string" },
  tag: { type: "string", multiple: true },
  machine: { type: "string" },
  project: { type: "string" },
  recursive: { type: "boolean" },
  all: { type: "boolean" },
  release: { type: "string" },
  "url-prefix": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
  json: { type: "boolean" },
} as const;
type OptionName = keyof typeof OPTIONS;

/** Runs one command line and returns the process exit code. */
export async function run(argv: string[], deps: RunDeps): Promise<number> {
  try {
    return await dispatch(argv, deps);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    // --json asks for output a script can parse, errors included; argv is scanned as is because
    // parsing itself may be what failed.
    if (argv.includes("--json")) {
      const kind = error instanceof UsageError ? "usage" : "failure";
      deps.stderr.write(
        `${JSON.stringify({ error: { kind, message: error.message, exit_code: error.exitCode } })}\n`,
      );
      return error.exitCode;
    }
    deps.stderr.write(`error: ${error.message}\n`);
    if (error instanceof UsageError) deps.stderr.write("Run `nexus help` for usage.\n");
    return error.exitCode;
  }
}

async function dispatch(argv: string[], deps: RunDeps): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const command = positionals.slice(0, 3).join(" ");

  if (values.version) {
    deps.stdout.write(
      values.json ? `${JSON.stringify({ version: CLI_VERSION })}\n` : `nexus ${CLI_VERSION}\n`,
    );
    return 0;
  }
  if (positionals.length === 0 || positionals[0] === "help" || values.help) {
    const words = positionals[0] === "help" ? positionals.slice(1) : positionals;
    const named = commandOf(words);
    if (positionals[0] === "help" && words.length > 0 && !named) {
      throw new UsageError(`no command "${words.join(" ")}"`);
    }
    deps.stdout.write(named ? commandUsage(named) : USAGE);
    return 0;
  }
  if (command === "tenants pool status") {
    allowOnly(values, ["url", "admin-secret", "json"], command);
    expectArgs(positionals, 3, command);
    return poolStatus({ ...apiTarget(values, deps), json: values.json ?? false }, deps);
  }
  if (positionals.slice(0, 2).join(" ") === "release publish") {
    allowOnly(
      values,
      ["url", "admin-secret", "channel", "notes", "rollout", "ramp-hours"],
      "release publish",
    );
    const dir = positionals[2];
    if (dir === undefined) throw new UsageError("release publish needs the folder electron-builder wrote");
    expectArgs(positionals, 3, "release publish");
    if (values.channel === undefined) throw new UsageError("release publish needs --channel <name>");
    const channel = ChannelNameSchema.safeParse(values.channel);
    if (!channel.success) {
      throw new UsageError(`--channel ${values.channel}: ${channel.error.issues[0]?.message ?? "invalid"}`);
    }
    const target = apiTarget(values, deps);
    return releasePublish(
      {
        dir: resolve(deps.cwd, dir),
        channel: channel.data,
        notesFile: values.notes === undefined ? undefined : resolve(deps.cwd, values.notes),
        rollout: parseRollout(values.rollout, values["ramp-hours"]),
        ...target,
      },
      deps,
    );
  }
  if (positionals.slice(0, 2).join(" ") === "documents upload") {
    allowOnly(
      values,
      ["url", "admin-secret", "company", "tag", "machine", "project", "recursive"],
      "documents upload",
    );
    const dir = positionals[2];
    if (dir === undefined) throw new UsageError("documents upload needs the folder to upload");
    expectArgs(positionals, 3, "documents upload");
    if (values.company === undefined) throw new UsageError("documents upload needs --company <companyId>");
    const links = documentLinks(values.tag ?? [], values.machine, values.project);
    const { baseUrl, adminSecret } = apiTarget(values, deps, { apiKey: true });
    return documentsUpload(
      {
        dir: resolve(deps.cwd, dir),
        companyId: values.company,
        ...links,
        recursive: values.recursive ?? false,
        baseUrl,
        token: adminSecret,
      },
      deps,
    );
  }
  if (positionals.slice(0, 2).join(" ") === "sourcemaps upload") {
    allowOnly(
      values,
      ["url", "admin-secret", "company", "project", "release", "url-prefix"],
      "sourcemaps upload",
    );
    const dir = positionals[2];
    if (dir === undefined) throw new UsageError("sourcemaps upload needs the build folder holding the maps");
    expectArgs(positionals, 3, "sourcemaps upload");
    if (values.company === undefined) throw new UsageError("sourcemaps upload needs --company <companyId>");
    if (values.project === undefined)
      throw new UsageError("sourcemaps upload needs --project <errorProjectId>");
    const projectId = parseProjectId(values.project);
    const release = parseRelease(values.release);
    const urlPrefix = parseUrlPrefix(values["url-prefix"]);
    const { baseUrl, adminSecret } = apiTarget(values, deps, { apiKey: true });
    return sourcemapsUpload(
      {
        dir: resolve(deps.cwd, dir),
        companyId: values.company,
        projectId,
        release,
        urlPrefix,
        baseUrl,
        token: adminSecret,
      },
      deps,
    );
  }
  if (command === "tenants pool add") {
    allowOnly(values, ["config", "also-config", "no-also-config", "local", "dry-run"], command);
    expectArgs(positionals, 4, command);
    const count = parseCount(positionals[3]);
    const local = values.local ?? false;
    const configPath = resolve(deps.cwd, values.config ?? "wrangler.toml");
    const also = values["also-config"];
    if (also !== undefined && values["no-also-config"]) {
      throw new UsageError("--also-config and --no-also-config exclude each other");
    }
    return poolAdd(
      {
        count,
        configPath,
        alsoConfigPaths: values["no-also-config"]
          ? []
          : (also?.map((path) => resolve(deps.cwd, path)) ?? (await defaultAlsoConfigPaths(configPath))),
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
  if (positionals.slice(0, 2).join(" ") === "admin create") {
    allowOnly(values, ["url", "admin-secret", "email", "name", "password", "json"], "admin create");
    expectArgs(positionals, 2, "admin create");
    if (!values.email) throw new UsageError("admin create needs --email <email>");
    const password = values.password ?? deps.env.NEXUS_OPERATOR_PASSWORD;
    if (!password) throw new UsageError("admin create needs --password or NEXUS_OPERATOR_PASSWORD");
    return adminCreate(
      {
        ...apiTarget(values, deps),
        email: values.email,
        name: values.name ?? values.email.split("@")[0] ?? values.email,
        password,
        json: values.json ?? false,
      },
      deps,
    );
  }
  if (positionals[0] === "search" && SEARCH_INDEX_ACTIONS.includes(positionals[1] as SearchIndexAction)) {
    const action = positionals[1] as SearchIndexAction;
    const command = `search ${action}`;
    allowOnly(values, ["url", "admin-secret", "company", "all", "json"], command);
    expectArgs(positionals, 2, command);
    if ((values.company === undefined) === !values.all) {
      throw new UsageError(`${command} needs either --company <companyId> or --all`);
    }
    return searchIndex(
      { ...apiTarget(values, deps), action, companyId: values.company, json: values.json ?? false },
      deps,
    );
  }
  if (positionals.slice(0, 2).join(" ") === "secrets generate") {
    allowOnly(values, ["json"], "secrets generate");
    expectArgs(positionals, 2, "secrets generate");
    return secretsGenerate({ stdout: deps.stdout, json: values.json ?? false });
  }
  throw new UsageError(`unknown command "${positionals.join(" ")}"`);
}

/**
 * Where the Nexus API is and the operator secret: flags, then env. Company routes also take a
 * company API key (`apiKey`), from NEXUS_API_KEY when no operator secret is given.
 */
function apiTarget(
  values: Partial<Record<OptionName, unknown>>,
  deps: RunDeps,
  accepts: { apiKey?: boolean } = {},
): { baseUrl: string; adminSecret: string } {
  const flag = (name: OptionName) => (typeof values[name] === "string" ? values[name] : undefined);
  const adminSecret =
    flag("admin-secret") ??
    deps.env.NEXUS_ADMIN_SECRET ??
    (accepts.apiKey ? deps.env.NEXUS_API_KEY : undefined);
  if (!adminSecret) {
    throw new UsageError(
      accepts.apiKey
        ? "set NEXUS_ADMIN_SECRET or NEXUS_API_KEY, or pass --admin-secret"
        : "set NEXUS_ADMIN_SECRET or pass --admin-secret",
    );
  }
  return { baseUrl: flag("url") ?? deps.env.NEXUS_API_URL ?? DEFAULT_API_URL, adminSecret };
}

/** --tag, --machine and --project, checked with the contract's rules before any file is read. */
function documentLinks(
  tags: string[],
  machine: string | undefined,
  project: string | undefined,
): { tags: string[]; machineId?: string; projectId?: string } {
  const parsed = CreateDocumentRequestSchema.safeParse({
    name: "check.pdf",
    size: 1,
    tags,
    ...(machine === undefined ? {} : { machine_id: machine }),
    ...(project === undefined ? {} : { project_id: project }),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flags: Record<string, string> = { tags: "--tag", machine_id: "--machine", project_id: "--project" };
    const field = String(issue?.path[0] ?? "");
    const index = issue?.path[1];
    const value = field === "tags" && typeof index === "number" ? ` ${tags[index]}` : "";
    throw new UsageError(`${flags[field] ?? field}${value}: ${issue?.message ?? "invalid"}`);
  }
  const { data } = parsed;
  return {
    tags: data.tags,
    ...(data.machine_id === undefined ? {} : { machineId: data.machine_id }),
    ...(data.project_id === undefined ? {} : { projectId: data.project_id }),
  };
}

function parseRollout(
  percent: string | undefined,
  rampHours: string | undefined,
): { percent: number; ramp_hours?: number } | undefined {
  if (percent === undefined) {
    if (rampHours !== undefined) throw new UsageError("--ramp-hours needs --rollout <percent> to start from");
    return undefined;
  }
  const digits = percent.trim().replace(/%$/, "");
  const value = Number(digits);
  if (digits === "" || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new UsageError(`--rollout must be a percentage from 0 to 100, not "${percent}"`);
  }
  if (rampHours === undefined) return { percent: value };
  const hours = Number(rampHours);
  // The API's limit: 90 days.
  if (rampHours.trim() === "" || !Number.isFinite(hours) || hours <= 0 || hours > 24 * 90) {
    throw new UsageError(
      `--ramp-hours must be a number of hours above 0 and at most 2160, not "${rampHours}"`,
    );
  }
  return { percent: value, ramp_hours: hours };
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs's own message for an unknown flag is about positionals starting with "-"; name the
    // flag instead. Its other messages (a missing value) are clear; only the exit code changes.
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    const flag = error instanceof Error ? /'(-[^']*)'/.exec(error.message)?.[1] : undefined;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && flag) throw new UsageError(`unknown flag ${flag}`);
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
