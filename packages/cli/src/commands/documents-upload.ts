// `nexus documents upload <folder> --company <id>`: uploads every file of a folder to a company's
// document library. The upload itself is @nexus/client's uploadDocument (declare, one PUT or parts,
// retries per request); this command walks the folder, hashes each file, shows progress, and carries
// on past a file the API refuses (e.g. a type the company does not take), failing at the end.
import { createHash } from "node:crypto";
import { createReadStream, openAsBlob } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import {
  memoryDocumentUploadStore,
  NexusApiError,
  NexusNetworkError,
  NexusResponseError,
  uploadDocument,
} from "@nexus/client";
import { DOCUMENT_LIMITS, type ErrorCode } from "@nexus/contracts";
import { CliError } from "../errors.ts";
import { type Fetch, formatBytes, plural, type TerminalSink } from "../io.ts";
import { countBytes, startUploadProgress, type UploadProgress } from "../upload-progress.ts";
import { describeError } from "../util.ts";

export interface DocumentsUploadOptions {
  dir: string;
  companyId: string;
  tags: string[];
  machineId?: string;
  projectId?: string;
  /** Walk subfolders too (their files are named by their own name, like the others). */
  recursive: boolean;
  baseUrl: string;
  /** The operator secret or a company API key. */
  token: string;
  /** Files larger than this go in parts (default: the API's single-upload limit, 95 MiB). */
  multipartAbove?: number;
  /** Base of the retry backoff in ms (the client's default 250; tests use 1). */
  backoff?: number;
}

export interface DocumentsUploadDeps {
  fetch: Fetch;
  stderr: TerminalSink;
}

export interface LocalDocument {
  /** Where the bytes are read from (a symlink's target inside the folder). */
  path: string;
  /** As shown in the output, relative to the folder. */
  shown: string;
  /** The document's name: the file's own name. */
  name: string;
  size: number;
}

interface Refusal {
  shown: string;
  reason: string;
}

export interface DocumentFolder {
  root: string;
  files: LocalDocument[];
  /** Entries that cannot be uploaded: symlinks leaving the folder, broken links, devices, sockets. */
  refused: Refusal[];
  dotfiles: number;
  /** Subfolders left out without --recursive. */
  subfolders: number;
  /** Files reached a second time through a symlink. */
  duplicates: number;
}

/**
 * Refusals that concern the whole run rather than one file (a wrong credential or company, an API
 * without the routes): every further file would fail the same way.
 */
const RUN_STOPPING_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "UNAUTHORIZED",
  "FORBIDDEN",
  "COMPANY_NOT_FOUND",
  "COMPANY_SUSPENDED",
  "TENANT_DATABASE_EXTERNAL",
  "NOT_FOUND",
]);

export async function documentsUpload(
  options: DocumentsUploadOptions,
  deps: DocumentsUploadDeps,
): Promise<number> {
  const { stderr } = deps;
  const folder = await readDocumentFolder(options.dir, options.recursive);
  const totalBytes = folder.files.reduce((sum, file) => sum + file.size, 0);
  if (folder.files.length === 0 && folder.refused.length === 0) {
    stderr.write(`No files to upload in ${folder.root}${skippedNote(folder)}\n`);
    return 0;
  }
  stderr.write(
    `Uploading ${plural(folder.files.length, "file")} (${formatBytes(totalBytes)}) from ${folder.root} to company ${options.companyId}\n`,
  );

  const refused = [...folder.refused];
  const uploaded: LocalDocument[] = [];
  // One store for the run: a file is keyed by its path, so nothing of another file is ever resumed.
  const store = memoryDocumentUploadStore();
  for (const [index, file] of folder.files.entries()) {
    const label = `[${index + 1}/${folder.files.length}] ${file.shown}`;
    const local = localRefusal(file);
    if (local) {
      stderr.write(`${label}  skipped: ${local}\n`);
      refused.push({ shown: file.shown, reason: local });
      continue;
    }
    let progress: UploadProgress | undefined;
    try {
      // Declared up front, so the API checks the stored bytes against it.
      const sha256 = await sha256OfFile(file.path);
      // File-backed: read one part at a time while sending, and refused if the file changes meanwhile.
      const content = await openAsBlob(file.path);
      progress = startUploadProgress(stderr, label, file.size);
      const document = await uploadDocument({
        baseUrl: options.baseUrl,
        token: options.token,
        fetch: countingFetch(deps.fetch, progress),
        companyId: options.companyId,
        content,
        name: file.name,
        tags: options.tags,
        ...(options.machineId === undefined ? {} : { machineId: options.machineId }),
        ...(options.projectId === undefined ? {} : { projectId: options.projectId }),
        sha256,
        resumable: file.size > (options.multipartAbove ?? DOCUMENT_LIMITS.maxSingleUploadBytes),
        store,
        uploadKey: file.path,
        ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      });
      progress.finish(`stored as ${document.id} (${document.type}), sha256 verified`);
      uploaded.push(file);
    } catch (error) {
      progress?.abandon();
      const stop = runStoppingError(error, options.baseUrl);
      if (stop) {
        const notAttempted = folder.files.slice(index + 1).map((other) => other.shown);
        writeSummary(stderr, folder, uploaded, refused);
        throw new CliError(
          `uploading ${file.shown} failed: ${stop}` +
            (notAttempted.length > 0 ? `\nnot attempted: ${notAttempted.join(", ")}` : ""),
        );
      }
      const reason = fileErrorReason(error);
      stderr.write(`${label}  refused: ${reason}\n`);
      refused.push({ shown: file.shown, reason });
    }
  }

  writeSummary(stderr, folder, uploaded, refused);
  if (refused.length > 0) {
    throw new CliError(
      `${refused.length} of ${refused.length + uploaded.length} files were not uploaded (see above)`,
    );
  }
  return 0;
}

/**
 * The folder's files, sorted, subfolders first-level only unless `recursive`. Dotfiles and dot
 * folders are left out; a symlink is followed only while its target stays inside the folder.
 */
export async function readDocumentFolder(dir: string, recursive: boolean): Promise<DocumentFolder> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new Error("not a folder");
  } catch (error) {
    throw new CliError(`cannot read the folder ${dir}: ${describeError(error)}`);
  }
  const folder: DocumentFolder = { root, files: [], refused: [], dotfiles: 0, subfolders: 0, duplicates: 0 };
  const seen = new Set<string>([root]);
  /** Real path → the entry it is uploaded as, and whether that entry is a symlink. */
  const listed = new Map<string, { file: LocalDocument; viaLink: boolean }>();
  const inside = (path: string) => path === root || path.startsWith(`${root}${sep}`);

  async function walk(real: string, prefix: string): Promise<void> {
    const entries = (await readdir(real, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      const shown = `${prefix}${entry.name}`;
      if (entry.name.startsWith(".")) {
        folder.dotfiles += 1;
        continue;
      }
      let path = join(real, entry.name);
      const viaLink = entry.isSymbolicLink();
      if (viaLink) {
        try {
          path = await realpath(path);
        } catch {
          folder.refused.push({ shown, reason: "a broken symlink" });
          continue;
        }
        if (!inside(path)) {
          folder.refused.push({ shown, reason: `a symlink to ${path}, outside the folder` });
          continue;
        }
      }
      const info = await stat(path);
      if (info.isDirectory()) {
        if (!recursive) folder.subfolders += 1;
        else if (!seen.has(path)) {
          seen.add(path);
          await walk(path, `${shown}/`);
        }
      } else if (!info.isFile()) {
        folder.refused.push({ shown, reason: "not a regular file" });
      } else {
        const earlier = listed.get(path);
        if (earlier) folder.duplicates += 1;
        // A file reached both directly and through a link goes once, under its own name.
        if (!earlier || (earlier.viaLink && !viaLink)) {
          listed.delete(path);
          listed.set(path, { file: { path, shown, name: entry.name, size: info.size }, viaLink });
        }
      }
    }
  }
  await walk(root, "");
  folder.files = [...listed.values()].map((entry) => entry.file);
  return folder;
}

/** Why the API could never take this file, known without asking it. */
function localRefusal(file: LocalDocument): string | undefined {
  if (file.size === 0) return "empty (documents have at least 1 byte)";
  if (file.size > DOCUMENT_LIMITS.maxFileBytes) {
    return `${formatBytes(file.size)}; documents are at most ${formatBytes(DOCUMENT_LIMITS.maxFileBytes)}`;
  }
  return undefined;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Streams Blob bodies (the file's bytes) through a byte counter for the progress bar. A request
 * sent again (a retried part) only moves the bar once it passes what the earlier attempt reached.
 */
function countingFetch(fetch: Fetch, progress: UploadProgress): Fetch {
  const reached = new Map<string, number>();
  return (url, init = {}) => {
    const { body } = init;
    if (!(body instanceof Blob)) return fetch(url, init);
    let sent = 0;
    const stream = countBytes(body.stream(), (bytes) => {
      sent += bytes;
      const before = reached.get(url) ?? 0;
      if (sent <= before) return;
      progress.advance(sent - before);
      reached.set(url, sent);
    });
    const headers = new Headers(init.headers);
    // The API refuses chunked uploads; a stream body needs its length said.
    headers.set("content-length", String(body.size));
    // fetch refuses a stream body without `duplex` (the request is sent before the answer is read).
    const streamed: RequestInit & { duplex: "half" } = { ...init, headers, body: stream, duplex: "half" };
    return fetch(url, streamed);
  };
}

/** Why the run cannot go on, or undefined when the error concerns this file only. */
function runStoppingError(error: unknown, baseUrl: string): string | undefined {
  if (error instanceof NexusNetworkError) {
    return `could not reach the API at ${baseUrl}: ${describeError(error)} (is it running? see --url)`;
  }
  if (error instanceof NexusResponseError) return `${error.message} ${error.body.slice(0, 200)}`;
  if (!(error instanceof NexusApiError)) return undefined;
  const final = RUN_STOPPING_CODES.has(error.code) || error.status === 429 || error.status >= 500;
  return final ? apiErrorText(error) : undefined;
}

function fileErrorReason(error: unknown): string {
  if (error instanceof NexusApiError) return apiErrorText(error);
  // Reading the file failed (removed, unreadable, or changed while it was sent).
  if (error instanceof Error && ("code" in error || error.name === "NotReadableError")) {
    return `cannot read it: ${describeError(error)}`;
  }
  throw error;
}

/** The same form as the CLI's own API errors. */
function apiErrorText(error: NexusApiError): string {
  return `${error.code}: ${error.message} (HTTP ${error.status}, request id ${error.requestId})`;
}

function skippedNote(folder: DocumentFolder): string {
  const parts = [
    folder.dotfiles > 0 ? plural(folder.dotfiles, "dotfile") : "",
    folder.subfolders > 0
      ? `${plural(folder.subfolders, "subfolder")} (pass --recursive to include them)`
      : "",
    folder.duplicates > 0 ? `${plural(folder.duplicates, "link")} to files already listed` : "",
  ].filter(Boolean);
  return parts.length > 0 ? `; skipped ${parts.join(", ")}` : "";
}

function writeSummary(
  stderr: TerminalSink,
  folder: DocumentFolder,
  uploaded: LocalDocument[],
  refused: Refusal[],
): void {
  const bytes = uploaded.reduce((sum, file) => sum + file.size, 0);
  const lines = ["", `  uploaded  ${plural(uploaded.length, "file")}, ${formatBytes(bytes)}`];
  if (refused.length > 0) {
    lines.push(`  refused   ${plural(refused.length, "file")}`);
    for (const refusal of refused) lines.push(`    - ${refusal.shown}: ${refusal.reason}`);
  }
  const skipped = skippedNote(folder);
  if (skipped) lines.push(`  skipped   ${skipped.replace(/^; skipped /, "")}`);
  stderr.write(`${lines.join("\n")}\n\n`);
}
