// A fake electron-builder `dist/` folder for one version: NSIS installer, macOS zips and AppImages
// with their blockmaps and channel files (latest.yml, latest-mac.yml, latest-linux.yml,
// latest-linux-arm64.yml), for demos and tests of publishing and differential downloads.
//
// The installers are deterministic pseudo-random bytes keyed by the seed: two versions with the same
// seed share most of their bytes, differ in a few small patches and in one inserted run (so in size
// too), which is what makes a differential download between them worth something.
// Blockmaps come from the real tool electron-builder uses (app-builder-bin), so electron-updater
// reads them exactly as it would a real build's.
//
// Usage: node scripts/demo-release.ts <dir> <version> [--seed <seed>] [--product-name <name>]
import { execFile } from "node:child_process";
import { createCipheriv, createHash } from "node:crypto";
import { constants } from "node:fs";
import { access, chmod, copyFile, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { appBuilderPath } from "app-builder-bin";
import { Scalar, stringify } from "yaml";

export type DemoPlatform = "win" | "mac" | "linux" | "linux-arm64";

export interface DemoReleaseOptions {
  /** Output folder; created if missing. Files of the same names are overwritten. */
  dir: string;
  version: string;
  /** Used in file names with whitespace replaced by dashes (default "Nexus"). */
  productName?: string;
  /** Same seed, same bytes; versions made with one seed share most of their content. */
  seed?: string | number;
  /** Written as `releaseDate` (default: now). */
  releaseDate?: Date;
  releaseName?: string;
  releaseNotes?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface DemoReleaseFile {
  name: string;
  path: string;
  platform: DemoPlatform;
  kind: "artifact" | "blockmap" | "channel-file";
  size: number;
  /** base64 of the sha512 digest, as electron-builder writes it. */
  sha512: string;
}

export interface DemoRelease {
  dir: string;
  version: string;
  files: DemoReleaseFile[];
}

/** What `app-builder blockmap` prints: the artifact's size and sha512 after the command ran. */
export interface AppBuilderBlockmapResult {
  size: number;
  sha512: string;
  /** Only when the blockmap was appended to the input (no --output). */
  blockMapSize?: number;
}

/** An electron-builder blockmap (gunzipped): content-defined chunks with their checksums. */
export interface Blockmap {
  version: string;
  files: { name: string; offset: number; checksums: string[]; sizes: number[] }[];
}

interface ArtifactSpec {
  name: (product: string, version: string) => string;
  /** Seeds the bytes; the same key in two versions gives mostly the same content. */
  contentKey: string;
  /**
   * AppImages carry their blockmap appended (yml `blockMapSize`), as electron-builder builds them
   * and as electron-updater's AppImageUpdater reads it; they get a separate `.blockmap` too.
   */
  embedBlockmap: boolean;
}

interface TargetSpec {
  platform: DemoPlatform;
  channelFile: string;
  /** The first is the yml's `path` (for macOS the x64 zip, as electron-builder writes it). */
  artifacts: ArtifactSpec[];
}

const TARGETS: TargetSpec[] = [
  {
    platform: "win",
    channelFile: "latest.yml",
    artifacts: [{ name: (p, v) => `${p}-Setup-${v}.exe`, contentKey: "nsis-x64", embedBlockmap: false }],
  },
  {
    platform: "mac",
    channelFile: "latest-mac.yml",
    artifacts: [
      { name: (p, v) => `${p}-${v}-mac.zip`, contentKey: "mac-x64-zip", embedBlockmap: false },
      { name: (p, v) => `${p}-${v}-arm64-mac.zip`, contentKey: "mac-arm64-zip", embedBlockmap: false },
    ],
  },
  {
    platform: "linux",
    channelFile: "latest-linux.yml",
    artifacts: [{ name: (p, v) => `${p}-${v}.AppImage`, contentKey: "appimage-x64", embedBlockmap: true }],
  },
  {
    platform: "linux-arm64",
    channelFile: "latest-linux-arm64.yml",
    artifacts: [
      { name: (p, v) => `${p}-${v}-arm64.AppImage`, contentKey: "appimage-arm64", embedBlockmap: true },
    ],
  },
];

export async function makeDemoRelease(options: DemoReleaseOptions): Promise<DemoRelease> {
  const { dir, version } = options;
  const product = (options.productName ?? "Nexus").trim().replace(/\s+/g, "-");
  const seed = String(options.seed ?? "nexus-demo");
  const releaseDate = (options.releaseDate ?? new Date()).toISOString();
  const log = options.log ?? (() => {});
  if (!/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$/.test(version)) {
    throw new Error(`"${version}" is not a semantic version such as 1.2.0`);
  }
  await mkdir(dir, { recursive: true });
  const files: DemoReleaseFile[] = [];

  for (const target of TARGETS) {
    const entries: { url: string; sha512: string; size: number; blockMapSize?: number }[] = [];
    for (const artifact of target.artifacts) {
      const name = artifact.name(product, version);
      const path = join(dir, name);
      await writeFile(path, demoInstallerBytes(seed, artifact.contentKey, version));
      const blockmapPath = `${path}.blockmap`;
      let result = await appBuilderBlockmap(path, blockmapPath);
      if (artifact.embedBlockmap) {
        // electron-builder appends an AppImage's blockmap raw-deflated (AppImageUpdater reads it
        // with inflateRaw), not gzip'd like the separate file; app-builder's default is gzip.
        result = await appBuilderBlockmap(path, undefined, "deflate");
      }
      const blockmap = await describeFile(blockmapPath);
      files.push(
        { name, path, platform: target.platform, kind: "artifact", size: result.size, sha512: result.sha512 },
        {
          name: `${name}.blockmap`,
          path: blockmapPath,
          platform: target.platform,
          kind: "blockmap",
          ...blockmap,
        },
      );
      entries.push({
        url: name,
        sha512: result.sha512,
        size: result.size,
        ...(result.blockMapSize !== undefined ? { blockMapSize: result.blockMapSize } : {}),
      });
      log(`  ${name}  ${formatMiB(result.size)}, blockmap ${blockmap.size} bytes`);
    }
    const [main] = entries;
    if (!main) throw new Error(`${target.channelFile} lists no files`);
    const date = new Scalar(releaseDate);
    // electron-builder quotes it; unquoted, js-yaml (used by electron-updater) would read a Date.
    date.type = "QUOTE_SINGLE";
    const channelFile = {
      version,
      files: entries,
      path: main.url,
      sha512: main.sha512,
      ...(options.releaseName !== undefined ? { releaseName: options.releaseName } : {}),
      ...(options.releaseNotes !== undefined ? { releaseNotes: options.releaseNotes } : {}),
      releaseDate: date,
    };
    const path = join(dir, target.channelFile);
    await writeFile(path, stringify(channelFile, { lineWidth: 0 }));
    files.push({
      name: target.channelFile,
      path,
      platform: target.platform,
      kind: "channel-file",
      ...(await describeFile(path)),
    });
    log(`  ${target.channelFile}`);
  }
  return { dir, version, files };
}

/**
 * One fake installer: 1–2.5 MiB of bytes shared by every version of a seed, with three small
 * version-specific patches (1–8 KiB) written over it and a version-specific run of 8–136 KiB inserted.
 */
export function demoInstallerBytes(seed: string, contentKey: string, version: string): Buffer {
  const baseLength = 1024 * 1024 + (hashNumber(seed, contentKey, "length") % (1536 * 1024));
  const base = keystream(baseLength, seed, contentKey, "base");
  for (const patch of [0, 1, 2]) {
    const length = 1024 + (hashNumber(seed, contentKey, version, "patch-length", patch) % (7 * 1024));
    const offset = hashNumber(seed, contentKey, version, "patch-offset", patch) % (baseLength - length);
    keystream(length, seed, contentKey, version, "patch", patch).copy(base, offset);
  }
  const insertAt = hashNumber(seed, contentKey, version, "insert-at") % baseLength;
  const insertLength = 8 * 1024 + (hashNumber(seed, contentKey, version, "insert-length") % (128 * 1024));
  return Buffer.concat([
    base.subarray(0, insertAt),
    keystream(insertLength, seed, contentKey, version, "inserted"),
    base.subarray(insertAt),
  ]);
}

/** Deterministic pseudo-random bytes: AES-256-CTR over zeros, keyed by a hash of the parts. */
function keystream(length: number, ...keyParts: (string | number)[]): Buffer {
  const key = createHash("sha256").update(keyParts.join("\0")).digest();
  const cipher = createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(length)), cipher.final()]);
}

function hashNumber(...parts: (string | number)[]): number {
  return createHash("sha256").update(parts.join("\0")).digest().readUInt32BE(0);
}

async function describeFile(path: string): Promise<{ size: number; sha512: string }> {
  const bytes = await readFile(path);
  return { size: bytes.length, sha512: createHash("sha512").update(bytes).digest("base64") };
}

/**
 * `app-builder blockmap`. With an output path it writes the gzip'd blockmap there and prints the
 * input's size and sha512; without one it appends the blockmap plus its length (4 bytes, big
 * endian) to the input and prints the grown file's size, sha512 and `blockMapSize`.
 */
export async function appBuilderBlockmap(
  input: string,
  output?: string,
  compression: "gzip" | "deflate" = "gzip",
): Promise<AppBuilderBlockmapResult> {
  const args = [
    "blockmap",
    "--input",
    input,
    ...(output ? ["--output", output] : []),
    ...(compression === "deflate" ? ["--compression", "deflate"] : []),
  ];
  const { stdout } = await promisify(execFile)(await appBuilderExecutable(), args);
  const result: unknown = JSON.parse(stdout);
  if (
    typeof result !== "object" ||
    result === null ||
    !("size" in result) ||
    typeof result.size !== "number" ||
    !("sha512" in result) ||
    typeof result.sha512 !== "string"
  ) {
    throw new Error(`unexpected output of app-builder ${args.join(" ")}: ${stdout}`);
  }
  const blockMapSize =
    "blockMapSize" in result && typeof result.blockMapSize === "number" ? result.blockMapSize : undefined;
  return {
    size: result.size,
    sha512: result.sha512,
    ...(blockMapSize !== undefined ? { blockMapSize } : {}),
  };
}

/** Reads a separate `.blockmap` file. */
export async function readBlockmap(path: string): Promise<Blockmap> {
  return JSON.parse(gunzipSync(await readFile(path)).toString("utf8")) as Blockmap;
}

/**
 * The app-builder binary, runnable. pnpm installs app-builder-bin's binaries without the executable
 * bit here; rather than chmod a file hard-linked into pnpm's store, run a private executable copy.
 */
async function appBuilderExecutable(): Promise<string> {
  // USE_SYSTEM_APP_BUILDER=true makes the package answer a bare command name.
  if (!isAbsolute(appBuilderPath)) return appBuilderPath;
  if (await isExecutable(appBuilderPath)) return appBuilderPath;
  const { size, mtimeMs } = await stat(appBuilderPath);
  const copy = join(
    tmpdir(),
    `app-builder-${process.platform}-${process.arch}-${size}-${Math.trunc(mtimeMs)}`,
  );
  if (await isExecutable(copy)) return copy;
  // Copied under a unique name and renamed: concurrent callers never run a half-written file.
  const partial = `${copy}.${process.pid}.${Date.now()}.partial`;
  try {
    await copyFile(appBuilderPath, partial);
    await chmod(partial, 0o755);
    await rename(partial, copy);
  } finally {
    await rm(partial, { force: true });
  }
  return copy;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { seed: { type: "string" }, "product-name": { type: "string" } },
  });
  const [dir, version, extra] = positionals;
  if (!dir || !version || extra !== undefined) {
    console.error(
      "Usage: node scripts/demo-release.ts <dir> <version> [--seed <seed>] [--product-name <name>]",
    );
    process.exit(2);
  }
  console.log(`Writing a demo electron-builder release ${version} to ${dir}`);
  const started = Date.now();
  const release = await makeDemoRelease({
    dir,
    version,
    seed: values.seed,
    productName: values["product-name"],
    log: (line) => console.log(line),
  });
  const total = release.files.reduce((sum, file) => sum + file.size, 0);
  console.log(
    `Done: ${release.files.length} files, ${formatMiB(total)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
