// `nexus release publish <dir>`: uploads an electron-builder output folder as a release of a channel
// and publishes it. Safe to run again: an existing draft of the version gets only its missing files,
// an already published identical release is left alone, and different bytes under a published
// version are refused.
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import type { CreateReleaseRequest, Release } from "@nexus/contracts";
import { CliError } from "../errors.ts";
import { type Fetch, formatBytes, plural, type TerminalSink } from "../io.ts";
import { NexusApiError, type NexusApiOptions } from "../nexus-api.ts";
import {
  completeMultipartUpload,
  createRelease,
  findReleases,
  publishRelease,
  type Rollout,
  startMultipartUpload,
  uploadMultipartPart,
  uploadReleaseFile,
} from "../release-api.ts";
import { type LocalRelease, type LocalReleaseFile, readReleaseFolder } from "../release-folder.ts";
import { countBytes, startUploadProgress } from "../upload-progress.ts";
import { describeError } from "../util.ts";

/** The API takes single uploads up to 95 MiB (Workers' 100 MB body limit); larger files go in parts. */
export const SINGLE_UPLOAD_LIMIT = 95 * 1024 * 1024;

export interface ReleasePublishOptions {
  dir: string;
  channel: string;
  /** A file whose text becomes the release notes (otherwise the channel files' releaseNotes). */
  notesFile?: string;
  rollout?: Rollout;
  baseUrl: string;
  adminSecret: string;
  /** Files larger than this are uploaded in parts (default SINGLE_UPLOAD_LIMIT). */
  singleUploadLimit?: number;
}

export interface ReleasePublishDeps {
  fetch: Fetch;
  stderr: TerminalSink;
}

export async function releasePublish(
  options: ReleasePublishOptions,
  deps: ReleasePublishDeps,
): Promise<number> {
  const { stderr } = deps;
  // Everything local is read and verified before the first request.
  const local = await readReleaseFolder(options.dir);
  const notes = options.notesFile === undefined ? local.notes : await readNotes(options.notesFile);
  const totalBytes = local.files.reduce((sum, file) => sum + file.size, 0);
  stderr.write(
    `Release ${local.version} from ${local.dir} (${local.channelFiles.join(", ")}): ` +
      `${plural(local.files.length, "file")}, ${formatBytes(totalBytes)}, all matching their channel files\n`,
  );

  const api: NexusApiOptions = {
    baseUrl: options.baseUrl,
    adminSecret: options.adminSecret,
    fetch: deps.fetch,
  };
  let release = await findRelease(api, options.channel, local.version);
  if (release) {
    stderr.write(`${options.channel} already has ${local.version} (${release.status}, id ${release.id})\n`);
  } else {
    release = await createDraft(api, options.channel, local, notes);
    stderr.write(`Created draft ${local.version} on ${options.channel} (id ${release.id})\n`);
  }

  const differences = declarationDifferences(release, local);
  if (release.status === "yanked") {
    throw new CliError(
      `${local.version} on ${options.channel} was yanked; a version cannot be published again. Build and publish a new version.`,
    );
  }
  if (release.status === "published") {
    if (differences.length > 0) {
      throw new CliError(
        `${local.version} is already published on ${options.channel} with other files; a published version cannot get other bytes. Build a new version.\n${formatDifferences(differences)}`,
      );
    }
    stderr.write(
      `${local.version} is already published on ${options.channel} with these files; nothing to do.\n`,
    );
    if (options.rollout) {
      stderr.write(
        "The rollout options were not applied: they only take effect when a draft is published.\n",
      );
    }
    writeSummary(stderr, release, local, 0);
    return 0;
  }
  if (differences.length > 0) {
    throw new CliError(
      `the draft of ${local.version} on ${options.channel} (id ${release.id}) declares other files than ${local.dir}; ` +
        `it was created from another build. Publish this build under a new version.\n${formatDifferences(differences)}`,
    );
  }

  const uploaded = new Set(release.files.filter((file) => file.uploaded).map((file) => file.name));
  const pending = local.files.filter((file) => !uploaded.has(file.name));
  if (uploaded.size > 0) {
    stderr.write(
      `${plural(uploaded.size, "file is", "files are")} already uploaded; uploading the other ${pending.length}\n`,
    );
  }
  let sentBytes = 0;
  const limit = options.singleUploadLimit ?? SINGLE_UPLOAD_LIMIT;
  for (const [index, file] of pending.entries()) {
    const label = `[${index + 1}/${pending.length}] ${file.name}`;
    try {
      await (file.size > limit ? uploadInParts : uploadWhole)(api, release.id, file, label, stderr);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      throw new CliError(
        `uploading ${file.name} failed: ${error.message}\n` +
          `Nothing was published: ${local.version} stays a draft on ${options.channel} with the files uploaded so far. ` +
          "Run the same command again to upload the rest.",
        error.exitCode,
      );
    }
    sentBytes += file.size;
  }

  release = await publishRelease(api, release.id, options.rollout);
  stderr.write(`Published ${local.version} on ${options.channel}\n`);
  writeSummary(stderr, release, local, sentBytes);
  return 0;
}

async function readNotes(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read the release notes ${path}: ${describeError(error)}`);
  }
}

async function findRelease(
  api: NexusApiOptions,
  channel: string,
  version: string,
): Promise<Release | undefined> {
  const releases = await findReleases(api, { channel, version });
  return releases.find((release) => release.channel === channel && release.version === version);
}

async function createDraft(
  api: NexusApiOptions,
  channel: string,
  local: LocalRelease,
  notes: string | undefined,
): Promise<Release> {
  const request: CreateReleaseRequest = {
    channel,
    version: local.version,
    files: local.files.map((file) => ({
      name: file.name,
      platform: file.platform,
      kind: file.kind,
      size: file.size,
      sha512: file.sha512,
      ...(file.blockMapSize !== undefined ? { block_map_size: file.blockMapSize } : {}),
    })),
  };
  if (local.name !== undefined) request.name = local.name;
  if (notes !== undefined) request.notes = notes;
  try {
    return await createRelease(api, request);
  } catch (error) {
    // Another run created it between our lookup and the create: carry on with that one.
    if (!(error instanceof NexusApiError && error.code === "RELEASE_EXISTS")) throw error;
    const existing = await findRelease(api, channel, local.version);
    if (!existing) throw error;
    return existing;
  }
}

/** How the release's declared files differ from the folder's, by name, kind, platform, size and sha512. */
function declarationDifferences(release: Release, local: LocalRelease): string[] {
  const declared = new Map(release.files.map((file) => [file.name, file]));
  const differences: string[] = [];
  for (const file of local.files) {
    const other = declared.get(file.name);
    if (!other) differences.push(`${file.name}: in the folder, not in the release`);
    else if (other.sha512 !== file.sha512 || other.size !== file.size) {
      differences.push(
        `${file.name}: other bytes (${formatBytes(other.size)} released, ${formatBytes(file.size)} here)`,
      );
    } else if (other.kind !== file.kind || other.platform !== file.platform) {
      differences.push(
        `${file.name}: declared as ${other.platform} ${other.kind}, here ${file.platform} ${file.kind}`,
      );
    }
    declared.delete(file.name);
  }
  for (const name of declared.keys()) differences.push(`${name}: in the release, not in the folder`);
  return differences;
}

function formatDifferences(differences: string[]): string {
  return differences.map((difference) => `  - ${difference}`).join("\n");
}

type Upload = (
  api: NexusApiOptions,
  releaseId: string,
  file: LocalReleaseFile,
  label: string,
  stderr: TerminalSink,
) => Promise<void>;

const uploadWhole: Upload = async (api, releaseId, file, label, stderr) => {
  const progress = startUploadProgress(stderr, label, file.size);
  try {
    const stream = countBytes(readRange(file.path, 0, file.size), (bytes) => progress.advance(bytes));
    await uploadReleaseFile(api, { releaseId, fileName: file.name }, { stream, length: file.size });
  } catch (error) {
    progress.abandon();
    throw error;
  }
  progress.finish("stored, sha512 verified");
};

const uploadInParts: Upload = async (api, releaseId, file, label, stderr) => {
  const target = { releaseId, fileName: file.name };
  const { uploadId, partSize } = await startMultipartUpload(api, target);
  if (!Number.isSafeInteger(partSize) || partSize < 1) {
    throw new CliError(`the API asked for parts of ${partSize} bytes for ${file.name}`);
  }
  const partCount = Math.ceil(file.size / partSize);
  const progress = startUploadProgress(stderr, `${label} (${plural(partCount, "part")})`, file.size);
  const parts: { part_number: number; etag: string }[] = [];
  try {
    for (let partNumber = 1; partNumber <= partCount; partNumber++) {
      const start = (partNumber - 1) * partSize;
      const length = Math.min(partSize, file.size - start);
      const stream = countBytes(readRange(file.path, start, length), (bytes) => progress.advance(bytes));
      parts.push(await uploadMultipartPart(api, { ...target, uploadId, partNumber }, { stream, length }));
    }
    await completeMultipartUpload(api, { ...target, uploadId }, parts);
  } catch (error) {
    progress.abandon();
    throw error;
  }
  progress.finish("stored, sha512 verified");
};

function readRange(path: string, start: number, length: number): ReadableStream<Uint8Array> {
  // `end` is inclusive.
  const stream = createReadStream(path, { start, end: start + length - 1 });
  return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
}

function writeSummary(stderr: TerminalSink, release: Release, local: LocalRelease, sentBytes: number): void {
  const artifacts = release.files.filter((file) => file.kind === "artifact");
  const platforms = [...new Set(artifacts.map((file) => file.platform))];
  const total = release.files.reduce((sum, file) => sum + file.size, 0);
  const { rollout } = release;
  const ramp = rollout.ramp_hours === null ? "" : `, ramping to 100 % over ${rollout.ramp_hours} h`;
  stderr.write(
    [
      "",
      `  version   ${release.version}${release.name ? ` (${release.name})` : ""}`,
      `  channel   ${release.channel}`,
      `  release   ${release.id}, ${release.status}`,
      `  files     ${plural(artifacts.length, "artifact")} + ${plural(release.files.length - artifacts.length, "blockmap")} for ${platforms.join(", ")} (${local.channelFiles.join(", ")})`,
      `  bytes     ${formatBytes(total)} in the release, ${formatBytes(sentBytes)} uploaded now`,
      `  rollout   ${rollout.state}, ${rollout.percent} %${ramp} (now ${rollout.effective_percent} %)`,
      "",
    ].join("\n"),
  );
}
