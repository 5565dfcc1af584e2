// Reading electron-builder's output folder (`dist/`): its channel files (latest.yml,
// latest-mac.yml, beta-linux.yml, ...), the artifacts they list and the blockmaps beside them, all
// checked against the channel files before anything is sent anywhere.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type ChannelFile,
  ChannelFileSchema,
  parseChannelFileName,
  ReleaseFileNameSchema,
  type UpdatePlatform,
} from "@nexus/contracts";
import { parse } from "yaml";
import { CliError } from "./errors.ts";
import { plural } from "./io.ts";
import { describeError } from "./util.ts";

export interface LocalReleaseFile {
  /** The name it is declared and served under: the channel file's url (plus `.blockmap`). */
  name: string;
  /** Where it is on disk (electron-builder may have written it with spaces instead of dashes). */
  path: string;
  platform: UpdatePlatform;
  kind: "artifact" | "blockmap";
  size: number;
  /** base64 of the sha512 digest, as in the channel files. */
  sha512: string;
  /** Set by electron-builder for artifacts that carry their blockmap at the end (AppImage). */
  blockMapSize?: number;
}

export interface LocalRelease {
  dir: string;
  version: string;
  /** The channel files read, e.g. `latest.yml`, `latest-mac.yml`. */
  channelFiles: string[];
  /** `releaseName` / `releaseNotes` if the channel files have them (and agree). */
  name?: string;
  notes?: string;
  /** Artifacts in channel-file order, each followed by its blockmap if there is one. */
  files: LocalReleaseFile[];
}

type ListedFile = ChannelFile["files"][number];

interface ParsedChannelFile {
  name: string;
  platform: UpdatePlatform;
  version: string;
  files: ListedFile[];
  releaseName?: string | undefined;
  releaseNotes?: string | undefined;
}

const PLATFORM_ORDER: UpdatePlatform[] = ["win", "mac", "linux", "linux-arm64", "linux-armv7l"];

/** The platform of an electron-builder channel file from its name; null for other files (`builder-debug.yml` …). */
export const channelFilePlatform = (fileName: string): UpdatePlatform | null =>
  parseChannelFileName(fileName)?.platform ?? null;

/**
 * Reads and verifies a release folder: every channel file agrees on the version, every listed file
 * is there with the listed size and sha512. All problems are reported together, as one CliError.
 */
export async function readReleaseFolder(dir: string): Promise<LocalRelease> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    throw new CliError(`cannot read the release folder ${dir}: ${describeError(error)}`);
  }
  const channelFileNames = entries.filter((name) => channelFilePlatform(name) !== null);
  if (channelFileNames.length === 0) {
    throw new CliError(
      `${dir} has no electron-builder channel files (latest.yml, latest-mac.yml, latest-linux.yml, ...): is it the build's output folder?`,
    );
  }
  const problems: string[] = [];
  const channelFiles: ParsedChannelFile[] = [];
  for (const name of channelFileNames) {
    const parsed = await readChannelFile(dir, name).catch((error: unknown) => {
      problems.push(error instanceof CliError ? error.message : `${name}: ${describeError(error)}`);
      return undefined;
    });
    if (parsed) channelFiles.push(parsed);
  }
  if (problems.length > 0) throw folderError(dir, problems);
  channelFiles.sort(
    (a, b) =>
      PLATFORM_ORDER.indexOf(a.platform) - PLATFORM_ORDER.indexOf(b.platform) || a.name.localeCompare(b.name),
  );

  const versions = [...new Set(channelFiles.map((file) => file.version))];
  const [version] = versions;
  if (version === undefined || versions.length > 1) {
    const list = channelFiles.map((file) => `${file.name}: ${file.version}`).join(", ");
    throw new CliError(
      `the channel files in ${dir} disagree on the version (${list}); publish one build at a time`,
    );
  }

  // One entry per url; a url listed by two channel files (latest.yml and beta.yml) must agree.
  const listed = new Map<string, ListedFile & { platform: UpdatePlatform; channelFile: string }>();
  for (const channelFile of channelFiles) {
    for (const file of channelFile.files) {
      const previous = listed.get(file.url);
      if (!previous) {
        listed.set(file.url, { ...file, platform: channelFile.platform, channelFile: channelFile.name });
      } else if (previous.platform !== channelFile.platform) {
        problems.push(
          `${file.url} is listed for ${previous.platform} (${previous.channelFile}) and ${channelFile.platform} (${channelFile.name})`,
        );
      } else if (previous.sha512 !== file.sha512 || previous.size !== file.size) {
        problems.push(
          `${file.url} has another size or sha512 in ${channelFile.name} than in ${previous.channelFile}`,
        );
      }
    }
  }

  const files: LocalReleaseFile[] = [];
  for (const file of listed.values()) {
    const uploadName = ReleaseFileNameSchema.safeParse(file.url);
    if (!uploadName.success) {
      problems.push(
        `${file.url} (${file.channelFile}): ${uploadName.error.issues[0]?.message ?? "invalid name"}`,
      );
      continue;
    }
    const localName = findLocalFile(entries, file.url);
    if (localName === undefined) {
      problems.push(`${file.url} is listed in ${file.channelFile} but is not in the folder`);
      continue;
    }
    const path = join(dir, localName);
    const actual = await describeFile(path);
    if (actual.size !== file.size) {
      problems.push(`${localName}: ${actual.size} bytes, but ${file.channelFile} says ${file.size}`);
    } else if (actual.sha512 !== file.sha512) {
      problems.push(
        `${localName}: its sha512 is not the one in ${file.channelFile} (rebuilt or modified since?)`,
      );
    }
    files.push({
      name: file.url,
      path,
      platform: file.platform,
      kind: "artifact",
      size: file.size,
      sha512: file.sha512,
      ...(file.blockMapSize !== undefined ? { blockMapSize: file.blockMapSize } : {}),
    });
    // electron-builder writes `<artifact>.blockmap` beside the artifact, under its local name.
    const blockmapName = entries.includes(`${localName}.blockmap`)
      ? `${localName}.blockmap`
      : findLocalFile(entries, `${file.url}.blockmap`);
    if (blockmapName !== undefined) {
      const blockmapPath = join(dir, blockmapName);
      files.push({
        name: `${file.url}.blockmap`,
        path: blockmapPath,
        platform: file.platform,
        kind: "blockmap",
        ...(await describeFile(blockmapPath)),
      });
    }
  }
  if (problems.length > 0) throw folderError(dir, problems);

  const release: LocalRelease = { dir, version, channelFiles: channelFiles.map((file) => file.name), files };
  const name = agreed(channelFiles.map((file) => file.releaseName));
  const notes = agreed(channelFiles.map((file) => file.releaseNotes));
  if (name !== undefined) release.name = name;
  if (notes !== undefined) release.notes = notes;
  return release;
}

async function readChannelFile(dir: string, name: string): Promise<ParsedChannelFile> {
  const platform = channelFilePlatform(name) ?? "win";
  let document: unknown;
  try {
    document = parse(await readFile(join(dir, name), "utf8"));
  } catch (error) {
    throw new CliError(`${name} is not valid YAML: ${describeError(error)}`);
  }
  const parsed = ChannelFileSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
    );
    throw new CliError(`${name}: ${problems.join("; ")}`);
  }
  const { version, files, releaseName, releaseNotes } = parsed.data;
  return { name, platform, version, files, releaseName, releaseNotes };
}

/**
 * The folder's file for a channel file url: the url itself, or the name electron-builder wrote
 * before it replaced spaces with dashes for the url (`Nexus Setup 1.2.0.exe` for
 * `Nexus-Setup-1.2.0.exe`).
 */
function findLocalFile(entries: string[], url: string): string | undefined {
  if (entries.includes(url)) return url;
  return entries.find((name) => name.replace(/\s+/g, "-") === url);
}

async function describeFile(path: string): Promise<{ size: number; sha512: string }> {
  const hash = createHash("sha512");
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha512: hash.digest("base64") };
}

/** The value every channel file that has one agrees on; undefined if none has it or they differ. */
function agreed(values: (string | undefined)[]): string | undefined {
  const distinct = [...new Set(values.filter((value) => value !== undefined))];
  return distinct.length === 1 ? distinct[0] : undefined;
}

function folderError(dir: string, problems: string[]): CliError {
  return new CliError(
    `${dir}: ${plural(problems.length, "problem")}, nothing was uploaded:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
  );
}
