// `nexus sourcemaps upload <dir> --company <id> --project <id> --release <r>`: uploads every source
// map of a build folder for one release of an error project, so the API can symbolicate the
// release's minified stack traces. Each `x/app.js.map` is stored for the minified file
// `<url-prefix>x/app.js` (Sentry's convention: the name a stack frame's URL reduces to). A map the
// API refuses is reported and the rest still go; a refusal that concerns the whole run (credential,
// company, project) stops it.
import { openAsBlob } from "node:fs";
import { routes, SOURCE_MAP_MAX_BYTES, SourceMapResponseSchema, sourceMapName } from "@nexus/contracts";
import { CliError, UsageError } from "../errors.ts";
import { type Fetch, formatBytes, plural, type TerminalSink } from "../io.ts";
import { NexusApiError, parseAnswer, requestJson, routePath } from "../nexus-api.ts";
import { countBytes, startUploadProgress, type UploadProgress } from "../upload-progress.ts";
import { readDocumentFolder } from "./documents-upload.ts";

export interface SourcemapsUploadOptions {
  dir: string;
  companyId: string;
  projectId: number;
  release: string;
  /** Prepended to each map's path inside the folder (default `~/`), e.g. `~/static/js/`. */
  urlPrefix: string;
  baseUrl: string;
  /** The operator secret or a company API key with errors:manage. */
  token: string;
}

export interface SourcemapsUploadDeps {
  fetch: Fetch;
  stderr: TerminalSink;
}

export interface LocalSourceMap {
  path: string;
  /** Relative to the folder, with `/`. */
  shown: string;
  /** The minified file's `~/path` the map is stored under. */
  name: string;
  size: number;
}

/** Refusals that every further map would get too: stop instead of trying each one. */
const RUN_STOPPING_CODES: ReadonlySet<string> = new Set([
  "UNAUTHORIZED",
  "FORBIDDEN",
  "COMPANY_NOT_FOUND",
  "COMPANY_SUSPENDED",
  "TENANT_DATABASE_EXTERNAL",
  "ERROR_PROJECT_NOT_FOUND",
  "NOT_FOUND",
]);

/** `--project`: error project ids are numbers (the DSN's last path segment). */
export function parseProjectId(value: string): number {
  if (!/^[1-9]\d{0,15}$/.test(value.trim())) {
    throw new UsageError(
      `--project must be the error project's numeric id (the DSN's last part), not "${value}"`,
    );
  }
  return Number(value.trim());
}

/** `--url-prefix`, as a `~/…/` prefix (a full URL or a path work too: they reduce the same way). */
export function parseUrlPrefix(value: string | undefined): string {
  if (value === undefined) return "~/";
  const name = sourceMapName(`${value.replace(/\/*$/, "")}/x`);
  if (name === null) throw new UsageError(`--url-prefix ${value}: not a URL or ~/path prefix`);
  return name.slice(0, -1);
}

export function parseRelease(value: string | undefined): string {
  const release = value?.trim() ?? "";
  if (release === "" || release.length > 200) {
    throw new UsageError(
      "sourcemaps upload needs --release <release> (1 to 200 characters, as the SDK sends it)",
    );
  }
  return release;
}

/** Every `*.map` under `dir`, subfolders included, walked as `documents upload --recursive` does. */
export async function findSourceMaps(dir: string, urlPrefix: string): Promise<LocalSourceMap[]> {
  const folder = await readDocumentFolder(dir, true);
  return folder.files
    .filter((file) => file.name.endsWith(".map"))
    .map((file) => ({
      path: file.path,
      shown: file.shown,
      name: `${urlPrefix}${file.shown.slice(0, -".map".length)}`,
      size: file.size,
    }));
}

export async function sourcemapsUpload(
  options: SourcemapsUploadOptions,
  deps: SourcemapsUploadDeps,
): Promise<number> {
  const { stderr } = deps;
  const maps = await findSourceMaps(options.dir, options.urlPrefix);
  if (maps.length === 0) throw new CliError(`no source maps (*.map) in ${options.dir}`);
  const total = maps.reduce((sum, map) => sum + map.size, 0);
  stderr.write(
    `Uploading ${plural(maps.length, "source map")} (${formatBytes(total)}) for release ${options.release} to error project ${options.projectId}\n`,
  );
  const path = routePath(routes.uploadSourceMap.path, {
    companyId: options.companyId,
    errorProjectId: options.projectId,
  });
  const refused: { shown: string; reason: string }[] = [];
  let uploaded = 0;
  for (const [index, map] of maps.entries()) {
    const label = `[${index + 1}/${maps.length}] ${map.shown} -> ${map.name}`;
    if (map.size > SOURCE_MAP_MAX_BYTES) {
      const reason = `${formatBytes(map.size)}; source maps are at most ${formatBytes(SOURCE_MAP_MAX_BYTES)}`;
      stderr.write(`${label}  skipped: ${reason}\n`);
      refused.push({ shown: map.shown, reason });
      continue;
    }
    let progress: UploadProgress | undefined;
    try {
      const blob = await openAsBlob(map.path);
      progress = startUploadProgress(stderr, label, map.size);
      const counted = progress;
      const answer = await requestJson(
        { baseUrl: options.baseUrl, adminSecret: options.token, fetch: deps.fetch },
        routes.uploadSourceMap.method,
        path,
        {
          query: { release: options.release, name: map.name },
          bytes: { stream: countBytes(blob.stream(), (bytes) => counted.advance(bytes)), length: map.size },
        },
      );
      const stored = parseAnswer(SourceMapResponseSchema, answer, path).source_map;
      progress.finish(`stored, sha256 ${stored.sha256.slice(0, 12)}`);
      uploaded += 1;
    } catch (error) {
      progress?.abandon();
      if (!(error instanceof NexusApiError) || stopsTheRun(error)) {
        const notAttempted = maps.slice(index + 1).map((other) => other.shown);
        writeSummary(stderr, uploaded, refused);
        const reason = error instanceof Error ? error.message : String(error);
        throw new CliError(
          `uploading ${map.shown} failed: ${reason}` +
            (notAttempted.length > 0 ? `\nnot attempted: ${notAttempted.join(", ")}` : ""),
        );
      }
      stderr.write(`${label}  refused: ${error.message}\n`);
      refused.push({ shown: map.shown, reason: error.message });
    }
  }
  writeSummary(stderr, uploaded, refused);
  if (refused.length > 0) {
    throw new CliError(`${refused.length} of ${maps.length} source maps were not uploaded (see above)`);
  }
  return 0;
}

const stopsTheRun = (error: NexusApiError) =>
  RUN_STOPPING_CODES.has(error.code) || error.status === 429 || error.status >= 500;

function writeSummary(
  stderr: TerminalSink,
  uploaded: number,
  refused: { shown: string; reason: string }[],
): void {
  const lines = ["", `  uploaded  ${plural(uploaded, "source map")}`];
  if (refused.length > 0) {
    lines.push(`  refused   ${plural(refused.length, "source map")}`);
    for (const refusal of refused) lines.push(`    - ${refusal.shown}: ${refusal.reason}`);
  }
  stderr.write(`${lines.join("\n")}\n\n`);
}
