import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { ChannelFile } from "../packages/contracts/src/updates/schemas.ts";
import { type DemoRelease, makeDemoRelease, readBlockmap } from "./demo-release.ts";

const sha512 = (bytes: Buffer) => createHash("sha512").update(bytes).digest("base64");

let root: string;
let first: DemoRelease;
let second: DemoRelease;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "demo-release-"));
  const releaseDate = new Date("2026-11-20T10:00:00.000Z");
  [first, second] = await Promise.all([
    makeDemoRelease({ dir: join(root, "1.2.0"), version: "1.2.0", seed: 7, releaseDate }),
    makeDemoRelease({
      dir: join(root, "1.3.0"),
      version: "1.3.0",
      seed: 7,
      releaseDate,
      releaseName: "Nexus 1.3",
      releaseNotes: "Faster sync.\nFixes the login loop.",
    }),
  ]);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function channelFile(dir: string, name: string): Promise<ChannelFile> {
  return parse(await readFile(join(dir, name), "utf8")) as ChannelFile;
}

describe("makeDemoRelease", () => {
  it("writes electron-builder's file names for Windows, macOS and Linux", async () => {
    expect((await readdir(first.dir)).sort()).toEqual(
      [
        "Nexus-1.2.0-arm64-mac.zip",
        "Nexus-1.2.0-arm64-mac.zip.blockmap",
        "Nexus-1.2.0-arm64.AppImage",
        "Nexus-1.2.0-arm64.AppImage.blockmap",
        "Nexus-1.2.0-mac.zip",
        "Nexus-1.2.0-mac.zip.blockmap",
        "Nexus-1.2.0.AppImage",
        "Nexus-1.2.0.AppImage.blockmap",
        "Nexus-Setup-1.2.0.exe",
        "Nexus-Setup-1.2.0.exe.blockmap",
        "latest-linux-arm64.yml",
        "latest-linux.yml",
        "latest-mac.yml",
        "latest.yml",
      ].sort(),
    );
    expect(first.files.map((file) => file.name).sort()).toEqual((await readdir(first.dir)).sort());
  });

  it("lists each platform's files in its channel file, with the size and sha512 on disk", async () => {
    const expected: Record<string, string[]> = {
      "latest.yml": ["Nexus-Setup-1.2.0.exe"],
      "latest-mac.yml": ["Nexus-1.2.0-mac.zip", "Nexus-1.2.0-arm64-mac.zip"],
      "latest-linux.yml": ["Nexus-1.2.0.AppImage"],
      "latest-linux-arm64.yml": ["Nexus-1.2.0-arm64.AppImage"],
    };
    for (const [name, urls] of Object.entries(expected)) {
      const yml = await channelFile(first.dir, name);
      expect(Object.keys(yml)).toEqual(["version", "files", "path", "sha512", "releaseDate"]);
      expect(yml.version).toBe("1.2.0");
      expect(yml.releaseDate).toBe("2026-11-20T10:00:00.000Z");
      expect(yml.files.map((file) => file.url)).toEqual(urls);
      expect(yml.path).toBe(urls[0]);
      expect(yml.sha512).toBe(yml.files[0]?.sha512);
      for (const file of yml.files) {
        const bytes = await readFile(join(first.dir, file.url));
        expect(file.size).toBe(bytes.length);
        expect(file.size).toBeGreaterThan(1024 * 1024);
        expect(file.size).toBeLessThan(3 * 1024 * 1024);
        expect(file.sha512).toBe(sha512(bytes));
        expect(file.sha512).toMatch(/^[A-Za-z0-9+/]{86}==$/);
      }
    }
    // The date stays a quoted string: js-yaml (electron-updater's parser) would read a bare one as a Date.
    expect(await readFile(join(first.dir, "latest.yml"), "utf8")).toContain(
      "releaseDate: '2026-11-20T10:00:00.000Z'",
    );
  });

  it("adds releaseName and releaseNotes when given", async () => {
    const yml = await channelFile(second.dir, "latest.yml");
    expect(yml.releaseName).toBe("Nexus 1.3");
    expect(yml.releaseNotes).toBe("Faster sync.\nFixes the login loop.");
  });

  it("returns every file it wrote with its size and sha512", async () => {
    for (const file of first.files) {
      const bytes = await readFile(file.path);
      expect({ name: file.name, size: file.size, sha512: file.sha512 }).toEqual({
        name: file.name,
        size: bytes.length,
        sha512: sha512(bytes),
      });
    }
  });

  it("writes gzip'd electron-builder blockmaps covering each artifact", async () => {
    for (const artifact of first.files.filter((file) => file.kind === "artifact")) {
      const blockmap = await readBlockmap(`${artifact.path}.blockmap`);
      expect(blockmap.version).toBe("2");
      expect(blockmap.files).toHaveLength(1);
      const [file] = blockmap.files;
      expect(file?.name).toBe("file");
      expect(file?.offset).toBe(0);
      expect(file?.checksums.length).toBeGreaterThan(10);
      expect(file?.sizes).toHaveLength(file?.checksums.length ?? -1);
      const covered = (file?.sizes ?? []).reduce((sum, size) => sum + size, 0);
      if (artifact.name.endsWith(".AppImage")) {
        // The AppImage also carries the blockmap at its end: [blockmap][uint32 BE length].
        const yml = await channelFile(
          first.dir,
          artifact.platform === "linux" ? "latest-linux.yml" : "latest-linux-arm64.yml",
        );
        const blockMapSize = yml.files[0]?.blockMapSize ?? 0;
        const bytes = await readFile(artifact.path);
        expect(bytes.readUInt32BE(bytes.length - 4)).toBe(blockMapSize);
        // Appended raw-deflated (what AppImageUpdater inflates), describing the same blocks as the
        // separate gzip'd file.
        const appended = JSON.parse(
          inflateRawSync(bytes.subarray(bytes.length - 4 - blockMapSize, bytes.length - 4)).toString(),
        );
        expect(appended).toEqual(blockmap);
        expect(covered).toBe(artifact.size - blockMapSize - 4);
      } else {
        expect(covered).toBe(artifact.size);
      }
    }
  });

  it("makes versions of one seed share most blocks, and differ in size", async () => {
    for (const [a, b] of [
      ["Nexus-Setup-1.2.0.exe", "Nexus-Setup-1.3.0.exe"],
      ["Nexus-1.2.0-arm64-mac.zip", "Nexus-1.3.0-arm64-mac.zip"],
      ["Nexus-1.2.0.AppImage", "Nexus-1.3.0.AppImage"],
    ] as const) {
      const old = (await readBlockmap(join(first.dir, `${a}.blockmap`))).files[0];
      const next = (await readBlockmap(join(second.dir, `${b}.blockmap`))).files[0];
      const oldChecksums = new Set(old?.checksums);
      const shared = (next?.checksums ?? []).filter((checksum) => oldChecksums.has(checksum));
      const total = next?.checksums.length ?? 0;
      expect(shared.length / total, `${b} shares ${shared.length} of ${total} blocks`).toBeGreaterThan(0.6);
      expect(shared.length).toBeLessThan(total);
      const sizeOf = (release: DemoRelease, name: string) => release.files.find((f) => f.name === name)?.size;
      expect(sizeOf(second, b)).not.toBe(sizeOf(first, a));
    }
  });

  it("is deterministic for a seed, and another seed gives other bytes", async () => {
    const again = await makeDemoRelease({ dir: join(root, "again"), version: "1.2.0", seed: 7 });
    const other = await makeDemoRelease({ dir: join(root, "other"), version: "1.2.0", seed: 8 });
    const exe = (release: DemoRelease) =>
      release.files.find((f) => f.name === "Nexus-Setup-1.2.0.exe")?.sha512;
    expect(exe(again)).toBe(exe(first));
    expect(exe(other)).not.toBe(exe(first));
  });

  it("refuses a version that is not a semantic version", async () => {
    await expect(makeDemoRelease({ dir: join(root, "bad"), version: "../1.0" })).rejects.toThrow(
      "not a semantic version",
    );
  });
});
