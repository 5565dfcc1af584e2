// What a release declares, from the files an operator picks out of electron-builder's output folder:
// the channel files (latest.yml, latest-mac.yml, …) say which artifacts belong to which platform,
// with their sizes and sha512s; blockmaps sit beside their artifacts. The channel files themselves
// are read, not uploaded: the API writes each company's channel file itself. Mirrors the CLI's
// `nexus release publish` (packages/cli/src/release-folder.ts), so both declare a build alike.
import {
  ChannelFileSchema,
  type DeclaredFile,
  parseChannelFileName,
  ReleaseFileNameSchema,
  type UpdatePlatform,
  UpdatePlatformSchema,
} from "@nexus/contracts";
import { parse } from "yaml";
import { InvalidInputError } from "./api.ts";

export const PLATFORMS = UpdatePlatformSchema.options;

/** A channel file as read: its platform (from its name) and what it lists. */
export interface ChannelFileInfo {
  name: string;
  platform: UpdatePlatform;
  version: string;
  files: { url: string; sha512: string; size: number; blockMapSize?: number | undefined }[];
  releaseName?: string | undefined;
  releaseNotes?: string | undefined;
}

export const isChannelFileName = (name: string): boolean => parseChannelFileName(name) !== null;

/** Parses a channel file's text; throws an Error that names the file and what is wrong. */
export function readChannelFile(name: string, text: string): ChannelFileInfo {
  const platform = parseChannelFileName(name)?.platform;
  if (!platform) throw new Error(`${name} is not a channel file name (latest.yml, latest-mac.yml, …)`);
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`${name} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ChannelFileSchema.safeParse(document);
  if (!parsed.success) {
    throw new Error(`${name}: ${new InvalidInputError(parsed.error).message}`);
  }
  const { version, files, releaseName, releaseNotes } = parsed.data;
  return { name, platform, version, files, releaseName, releaseNotes };
}

/** A file the release will declare, with the picked file it comes from. */
export interface PlannedFile<F> {
  source: F;
  /** The name it is declared and served under. */
  name: string;
  platform: UpdatePlatform;
  kind: "artifact" | "blockmap";
  size: number;
  /** Known from a channel file; otherwise computed from the bytes before the release is created. */
  sha512?: string | undefined;
  /** An AppImage's blockmap appended to it (the channel file's blockMapSize). */
  block_map_size?: number | undefined;
  /** Whether a channel file fixed the platform (the operator chooses the others'). */
  listed: boolean;
}

export interface ReleasePlan<F> {
  /** The version the channel files agree on, if any were picked. */
  version?: string | undefined;
  name?: string | undefined;
  notes?: string | undefined;
  channelFiles: string[];
  files: PlannedFile<F>[];
  /** Everything that stops this selection from being declared, for the operator to fix. */
  problems: string[];
}

const PLATFORM_ORDER = new Map(PLATFORMS.map((platform, index) => [platform, index]));

/** electron-builder writes local names with spaces and lists them with dashes. */
const urlName = (name: string) => name.trim().replace(/\s+/g, "-");

/**
 * The release's files from the picked files and their channel files, in the order the feed needs:
 * per platform the channel file's artifacts first (its `path` is the first), each followed by its
 * blockmap; files no channel file lists come last, on the platform their name suggests.
 */
export function planReleaseFiles<F extends { name: string; size: number }>(
  picked: readonly F[],
  channelFiles: readonly ChannelFileInfo[],
): ReleasePlan<F> {
  const problems: string[] = [];
  const files: PlannedFile<F>[] = [];
  const used = new Set<F>();
  const byUrl = new Map(picked.map((file) => [urlName(file.name), file]));
  const sorted = [...channelFiles].sort(
    (a, b) => (PLATFORM_ORDER.get(a.platform) ?? 0) - (PLATFORM_ORDER.get(b.platform) ?? 0),
  );
  const versions = [...new Set(sorted.map((file) => file.version))];
  if (versions.length > 1) {
    problems.push(`The channel files disagree on the version (${versions.join(", ")}): pick one build.`);
  }

  const addBlockmapOf = (artifact: PlannedFile<F>) => {
    const blockmap = byUrl.get(`${artifact.name}.blockmap`);
    if (!blockmap || used.has(blockmap)) return;
    used.add(blockmap);
    files.push({
      source: blockmap,
      name: `${artifact.name}.blockmap`,
      platform: artifact.platform,
      kind: "blockmap",
      size: blockmap.size,
      listed: artifact.listed,
    });
  };

  for (const channelFile of sorted) {
    for (const entry of channelFile.files) {
      const already = files.find((file) => file.name === entry.url);
      if (already) {
        if (already.platform !== channelFile.platform || already.sha512 !== entry.sha512) {
          problems.push(`${entry.url} is listed differently by two channel files.`);
        }
        continue;
      }
      const source = byUrl.get(entry.url);
      if (!source) {
        problems.push(`${channelFile.name} lists ${entry.url}: pick it too.`);
        continue;
      }
      if (source.size !== entry.size) {
        problems.push(`${source.name} has ${source.size} bytes, but ${channelFile.name} says ${entry.size}.`);
      }
      used.add(source);
      const artifact: PlannedFile<F> = {
        source,
        name: entry.url,
        platform: channelFile.platform,
        kind: "artifact",
        size: source.size,
        sha512: entry.sha512,
        block_map_size: entry.blockMapSize,
        listed: true,
      };
      files.push(artifact);
      addBlockmapOf(artifact);
    }
  }

  const rest = picked.filter((file) => !used.has(file) && !isChannelFileName(file.name));
  for (const source of rest.filter((file) => !file.name.endsWith(".blockmap"))) {
    used.add(source);
    const artifact: PlannedFile<F> = {
      source,
      name: urlName(source.name),
      platform: guessPlatform(source.name),
      kind: "artifact",
      size: source.size,
      listed: false,
    };
    files.push(artifact);
    addBlockmapOf(artifact);
  }
  for (const source of rest.filter((file) => !used.has(file))) {
    problems.push(`${source.name} is a blockmap without its artifact: pick ${source.name.slice(0, -9)} too.`);
  }

  const names = new Set<string>();
  for (const file of files) {
    if (names.has(file.name)) problems.push(`Two picked files are both named ${file.name}.`);
    names.add(file.name);
    const valid = ReleaseFileNameSchema.safeParse(file.name);
    if (!valid.success)
      problems.push(`${file.name}: ${valid.error.issues[0]?.message ?? "not a valid name"}.`);
    if (file.size < 1) problems.push(`${file.name} is empty.`);
  }
  if (picked.length > 0 && files.length === 0) {
    problems.push("Pick the installers (and their blockmaps), not only channel files.");
  }
  return {
    version: versions.length === 1 ? versions[0] : undefined,
    name: agreed(sorted.map((file) => file.releaseName)),
    notes: agreed(sorted.map((file) => file.releaseNotes)),
    channelFiles: sorted.map((file) => file.name),
    files,
    problems,
  };
}

/**
 * Which picked files complete a draft: each matched to a declared file by its name (as
 * electron-builder lists it), skipping the ones already uploaded; a wrong size is a problem here,
 * a wrong sha512 the API's to find.
 */
export function matchDeclaredFiles<F extends { name: string; size: number }>(
  picked: readonly F[],
  declared: readonly { name: string; size: number; uploaded: boolean }[],
): { uploads: { name: string; source: F }[]; ignored: string[]; problems: string[] } {
  const uploads: { name: string; source: F }[] = [];
  const ignored: string[] = [];
  const problems: string[] = [];
  for (const source of picked) {
    const name = urlName(source.name);
    const file = declared.find((candidate) => candidate.name === name);
    if (!file || file.uploaded) ignored.push(source.name);
    else if (file.size !== source.size) {
      problems.push(`${source.name} has ${source.size} bytes; the release declares ${file.size}.`);
    } else if (!uploads.some((upload) => upload.name === name)) uploads.push({ name, source });
  }
  return { uploads, ignored, problems };
}

/** The platform electron-builder's target names usually mean; Windows when nothing says otherwise. */
export function guessPlatform(fileName: string): UpdatePlatform {
  const name = fileName.toLowerCase();
  const linux = /\.(appimage|deb|rpm|snap|pacman|freebsd|tar\.(gz|xz|bz2))$/.test(name);
  if (linux && /(arm64|aarch64)/.test(name)) return "linux-arm64";
  if (linux && /armv7l/.test(name)) return "linux-armv7l";
  if (linux) return "linux";
  if (/\.(dmg|pkg)$/.test(name) || /mac\.zip$/.test(name) || /darwin/.test(name)) return "mac";
  return "win";
}

/** What the release declares for a planned file whose sha512 is known. */
export function declaredFile(file: PlannedFile<unknown> & { sha512: string }): DeclaredFile {
  const { name, platform, kind, size, sha512, block_map_size } = file;
  return block_map_size === undefined
    ? { name, platform, kind, size, sha512 }
    : { name, platform, kind, size, sha512, block_map_size };
}

/** base64 of the bytes' sha512, as electron-builder writes it. Reads the whole file into memory. */
export async function sha512Base64(blob: Blob): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", await blob.arrayBuffer()));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function agreed(values: (string | undefined)[]): string | undefined {
  const distinct = [...new Set(values.filter((value) => value !== undefined))];
  return distinct.length === 1 ? distinct[0] : undefined;
}
