import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { makeDemoRelease } from "../../../../scripts/demo-release.ts";
import type { Fetch } from "../io.ts";
import { channelFilePlatform } from "../release-folder.ts";
import { type ReleaseApiStandIn, startReleaseApiStandIn } from "../testing/release-api-stand-in.ts";
import {
  bytesOf,
  capture,
  localOnlyFetch,
  runCli,
  testFolder,
  usageErrorOf,
} from "../testing/test-helpers.ts";
import { startUploadProgress } from "../upload-progress.ts";
import { releasePublish } from "./release-publish.ts";

const SECRET = "operator-secret-operator-secret-00";
const sha512 = (bytes: Buffer) => createHash("sha512").update(bytes).digest("base64");

const root = testFolder("release-publish-");
let api: ReleaseApiStandIn | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

const newDir = () => root.fresh("build");

interface FakeArtifact {
  /** The channel file's url. */
  url: string;
  bytes: Buffer;
  /** The name on disk, when electron-builder wrote it with spaces. */
  localName?: string;
  blockmap?: boolean;
  blockMapSize?: number;
}

/** A hand-made electron-builder folder: channel files (name → artifacts) and the files they list. */
async function fakeBuild(version: string, channelFiles: Record<string, FakeArtifact[]>, extra: object = {}) {
  const dir = newDir();
  await mkdir(dir, { recursive: true });
  for (const [channelFile, artifacts] of Object.entries(channelFiles)) {
    for (const artifact of artifacts) {
      const local = artifact.localName ?? artifact.url;
      await writeFile(join(dir, local), artifact.bytes);
      if (artifact.blockmap !== false) await writeFile(join(dir, `${local}.blockmap`), bytesOf(300, local));
    }
    const files = artifacts.map((a) => ({
      url: a.url,
      sha512: sha512(a.bytes),
      size: a.bytes.length,
      ...(a.blockMapSize ? { blockMapSize: a.blockMapSize } : {}),
    }));
    const yml = {
      version,
      files,
      path: files[0]?.url,
      sha512: files[0]?.sha512,
      ...extra,
      releaseDate: "2026-11-20T10:00:00.000Z",
    };
    await writeFile(join(dir, channelFile), stringify(yml));
  }
  return dir;
}

const exe = (version: string, size = 4000) => ({
  url: `Nexus-Setup-${version}.exe`,
  bytes: bytesOf(size, `exe ${version}`),
});

async function publish(args: string[], options: { fetch?: Fetch; tty?: boolean } = {}) {
  api ??= await startReleaseApiStandIn({ adminSecret: SECRET });
  return runCli(["release", "publish", ...args, "--url", api.url, "--admin-secret", SECRET], {
    env: {},
    cwd: root.path,
    ...options,
  });
}

/** A fetch that counts its calls, to prove nothing was sent. */
function countingFetch() {
  const calls: string[] = [];
  const fetch: Fetch = (url, init) => {
    calls.push(`${init?.method ?? "GET"} ${url}`);
    return localOnlyFetch(url, init);
  };
  return { fetch, calls };
}

describe("release publish: reading the folder", () => {
  it("knows the platform of every electron-builder channel file name", () => {
    expect(channelFilePlatform("latest.yml")).toBe("win");
    expect(channelFilePlatform("beta.yml")).toBe("win");
    expect(channelFilePlatform("latest-mac.yml")).toBe("mac");
    expect(channelFilePlatform("latest-linux.yml")).toBe("linux");
    expect(channelFilePlatform("beta-linux-arm64.yml")).toBe("linux-arm64");
    expect(channelFilePlatform("latest-linux-armv7l.yml")).toBe("linux-armv7l");
    expect(channelFilePlatform("builder-debug.yml")).toBeNull();
    expect(channelFilePlatform("builder-effective-config.yaml")).toBeNull();
    expect(channelFilePlatform("app-update.yml")).toBeNull();
  });

  it("refuses a file whose sha512 is not the channel file's, before any request", async () => {
    const dir = await fakeBuild("1.2.0", { "latest.yml": [exe("1.2.0")] });
    const path = join(dir, "Nexus-Setup-1.2.0.exe");
    const bytes = await readFile(path);
    bytes[10] = (bytes[10] ?? 0) ^ 1;
    await writeFile(path, bytes);
    const { fetch, calls } = countingFetch();
    const result = await publish([dir, "--channel", "stable"], { fetch });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: ${dir}: 1 problem, nothing was uploaded:`);
    expect(result.stderr).toContain(
      "  - Nexus-Setup-1.2.0.exe: its sha512 is not the one in latest.yml (rebuilt or modified since?)",
    );
    expect(calls).toEqual([]);
  });

  it("lists every missing or resized file, before any request", async () => {
    const dir = await fakeBuild("1.2.0", {
      "latest.yml": [exe("1.2.0")],
      "latest-mac.yml": [
        { url: "Nexus-1.2.0-mac.zip", bytes: bytesOf(500, "mac") },
        { url: "Nexus-1.2.0-arm64-mac.zip", bytes: bytesOf(600, "arm") },
      ],
    });
    await rm(join(dir, "Nexus-1.2.0-arm64-mac.zip"));
    await writeFile(join(dir, "Nexus-Setup-1.2.0.exe"), bytesOf(10, "short"));
    const { fetch, calls } = countingFetch();
    const result = await publish([dir, "--channel", "stable"], { fetch });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("2 problems, nothing was uploaded:");
    expect(result.stderr).toContain("  - Nexus-Setup-1.2.0.exe: 10 bytes, but latest.yml says 4000");
    expect(result.stderr).toContain(
      "  - Nexus-1.2.0-arm64-mac.zip is listed in latest-mac.yml but is not in the folder",
    );
    expect(calls).toEqual([]);
  });

  it("refuses channel files that disagree on the version", async () => {
    const dir = await fakeBuild("1.2.0", { "latest.yml": [exe("1.2.0")] });
    const other = await fakeBuild("1.3.0", {
      "latest-linux.yml": [{ url: "Nexus-1.3.0.AppImage", bytes: bytesOf(9, "a") }],
    });
    await writeFile(join(dir, "latest-linux.yml"), await readFile(join(other, "latest-linux.yml")));
    const { fetch, calls } = countingFetch();
    const result = await publish([dir, "--channel", "stable"], { fetch });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "disagree on the version (latest.yml: 1.2.0, latest-linux.yml: 1.3.0); publish one build at a time",
    );
    expect(calls).toEqual([]);
  });

  it("says so when the folder has no channel files", async () => {
    const dir = newDir();
    await mkdir(dir);
    await writeFile(join(dir, "builder-debug.yml"), "x: 1\n");
    const result = await publish([dir, "--channel", "stable"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("has no electron-builder channel files");
  });

  it("finds files electron-builder wrote with spaces, declares them under the url's name", async () => {
    const dir = await fakeBuild("1.2.0", {
      "latest.yml": [{ ...exe("1.2.0"), localName: "Nexus Setup 1.2.0.exe" }],
      "latest-linux-armv7l.yml": [
        {
          url: "Nexus-1.2.0-armv7l.AppImage",
          bytes: bytesOf(700, "armv7l"),
          blockmap: false,
          blockMapSize: 77,
        },
      ],
      // electron-builder writes beta.yml too when asked to; the same file listed twice is one file.
      "beta.yml": [{ ...exe("1.2.0"), localName: "Nexus Setup 1.2.0.exe" }],
    });
    await writeFile(join(dir, "builder-debug.yml"), "not: a channel file\n");
    const result = await publish([dir, "--channel", "beta"]);
    expect(result.code).toBe(0);
    const [release] = api?.releases() ?? [];
    expect(
      release?.files.map(({ name, platform, kind, block_map_size }) => ({
        name,
        platform,
        kind,
        block_map_size,
      })),
    ).toEqual([
      { name: "Nexus-Setup-1.2.0.exe", platform: "win", kind: "artifact", block_map_size: null },
      { name: "Nexus-Setup-1.2.0.exe.blockmap", platform: "win", kind: "blockmap", block_map_size: null },
      { name: "Nexus-1.2.0-armv7l.AppImage", platform: "linux-armv7l", kind: "artifact", block_map_size: 77 },
    ]);
    const blockmap = await readFile(join(dir, "Nexus Setup 1.2.0.exe.blockmap"));
    expect(release?.files[1]).toMatchObject({
      size: blockmap.length,
      sha512: sha512(blockmap),
      uploaded: true,
    });
    expect(api?.stored(release?.id ?? "", "Nexus-Setup-1.2.0.exe")).toEqual(exe("1.2.0").bytes);
  });
});

describe("release publish: against the API", () => {
  it("creates a draft from a demo build, uploads every file, publishes it", async () => {
    const dir = newDir();
    const demo = await makeDemoRelease({ dir, version: "1.2.0", seed: "cli", releaseNotes: "From the yml." });
    const result = await publish([dir, "--channel", "stable"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");

    const [release] = api?.releases() ?? [];
    expect(release).toMatchObject({
      channel: "stable",
      version: "1.2.0",
      status: "published",
      notes: "From the yml.",
    });
    const onDisk = demo.files.filter((file) => file.kind !== "channel-file");
    expect(release?.files.map((file) => file.name).sort()).toEqual(onDisk.map((file) => file.name).sort());
    // Declaration order: each artifact, then its blockmap; the x64 zip before the arm64 one (the yml's path).
    expect(release?.files.filter((f) => f.platform === "mac").map((f) => f.name)).toEqual([
      "Nexus-1.2.0-mac.zip",
      "Nexus-1.2.0-mac.zip.blockmap",
      "Nexus-1.2.0-arm64-mac.zip",
      "Nexus-1.2.0-arm64-mac.zip.blockmap",
    ]);
    for (const file of onDisk) {
      const declared = release?.files.find((f) => f.name === file.name);
      expect(declared).toMatchObject({
        size: file.size,
        sha512: file.sha512,
        kind: file.kind,
        uploaded: true,
      });
      expect(api?.stored(release?.id ?? "", file.name)?.equals(await readFile(file.path))).toBe(true);
    }
    // AppImages carry their blockmap; the channel file's blockMapSize is declared.
    const appImage = release?.files.find((f) => f.name === "Nexus-1.2.0.AppImage");
    expect(appImage?.block_map_size).toBeGreaterThan(0);
    expect(release?.files.find((f) => f.name === "Nexus-Setup-1.2.0.exe")?.block_map_size).toBeNull();

    const calls = api?.requests.map((r) => `${r.method} ${r.path}`) ?? [];
    expect(calls[0]).toBe("GET /api/admin/releases");
    expect(api?.requests[0]?.search).toBe("?channel=stable&version=1.2.0");
    expect(calls[1]).toBe("POST /api/admin/releases");
    expect(calls.filter((c) => c.startsWith("PUT "))).toHaveLength(onDisk.length);
    expect(calls.at(-1)).toBe(`POST /api/admin/releases/${release?.id}/publish`);
    for (const request of api?.requests.filter((r) => r.method === "PUT") ?? []) {
      const name = decodeURIComponent(request.path.split("/").at(-1) ?? "");
      expect(request.contentLength).toBe(String(onDisk.find((f) => f.name === name)?.size));
    }

    // Not a terminal: lines per 10 % and a final line per file, then the summary.
    expect(result.stderr).not.toContain("\r");
    expect(result.stderr).toMatch(/\[1\/10\] Nexus-Setup-1\.2\.0\.exe {2}\[#{5}\.{19}\] {2}20% {2}/);
    expect(result.stderr).toMatch(
      /\[1\/10\] Nexus-Setup-1\.2\.0\.exe {2}\[#{24}\] 100% .* stored, sha512 verified\n/,
    );
    expect(result.stderr).toContain("Published 1.2.0 on stable");
    expect(result.stderr).toContain("  version   1.2.0\n");
    expect(result.stderr).toContain("  channel   stable\n");
    expect(result.stderr).toContain(
      "  files     5 artifacts + 5 blockmaps for win, mac, linux, linux-arm64 (latest.yml, latest-mac.yml, latest-linux.yml, latest-linux-arm64.yml)",
    );
    expect(result.stderr).toContain("  rollout   active, 100 % (now 100 %)");

    // Run again: already published with the same files, nothing uploaded.
    const before = api?.requests.length ?? 0;
    const again = await publish([dir, "--channel", "stable"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("1.2.0 is already published on stable with these files; nothing to do.");
    expect(api?.requests.slice(before).map((r) => r.method)).toEqual(["GET"]);
  });

  it("refuses to publish other bytes under a published version", async () => {
    const first = await fakeBuild("2.0.0", { "latest.yml": [exe("2.0.0")] });
    expect((await publish([first, "--channel", "stable"])).code).toBe(0);
    const rebuilt = await fakeBuild("2.0.0", {
      "latest.yml": [{ ...exe("2.0.0"), bytes: bytesOf(4100, "rebuilt") }],
    });
    const before = api?.requests.length ?? 0;
    const result = await publish([rebuilt, "--channel", "stable"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "error: 2.0.0 is already published on stable with other files; a published version cannot get other bytes. Build a new version.",
    );
    expect(result.stderr).toContain(
      "  - Nexus-Setup-2.0.0.exe: other bytes (3.9 KiB released, 4.0 KiB here)",
    );
    expect(api?.requests.slice(before).map((r) => r.method)).toEqual(["GET"]);
  });

  it("turns a 422 CHECKSUM_MISMATCH into a clear error, then a rerun uploads only what is missing", async () => {
    const dir = await fakeBuild("3.0.0", {
      "latest.yml": [exe("3.0.0")],
      "latest-linux.yml": [{ url: "Nexus-3.0.0.AppImage", bytes: bytesOf(5000, "linux") }],
    });
    api = await startReleaseApiStandIn({ adminSecret: SECRET });
    api.corruptUploads.add("Nexus-3.0.0.AppImage");
    const failed = await publish([dir, "--channel", "stable"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /error: uploading Nexus-3\.0\.0\.AppImage failed: CHECKSUM_MISMATCH: Nexus-3\.0\.0\.AppImage: the bytes received do not match the declared sha512; nothing was stored\. \(HTTP 422, request id req_\d+\)\n/,
    );
    expect(failed.stderr).toContain(
      "Nothing was published: 3.0.0 stays a draft on stable with the files uploaded so far. Run the same command again to upload the rest.",
    );
    const [draft] = api.releases();
    expect(draft?.status).toBe("draft");
    expect(draft?.files.map((f) => [f.name, f.uploaded])).toEqual([
      ["Nexus-Setup-3.0.0.exe", true],
      ["Nexus-Setup-3.0.0.exe.blockmap", true],
      ["Nexus-3.0.0.AppImage", false],
      ["Nexus-3.0.0.AppImage.blockmap", false],
    ]);
    expect(api.requests.some((r) => r.path.endsWith("/publish"))).toBe(false);

    api.corruptUploads.clear();
    const before = api.requests.length;
    const rerun = await publish([dir, "--channel", "stable", "--rollout", "25", "--ramp-hours", "48"]);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain("stable already has 3.0.0 (draft, id ");
    expect(rerun.stderr).toContain("2 files are already uploaded; uploading the other 2");
    expect(api.requests.slice(before).map((r) => `${r.method} ${r.path.split("/").slice(-1)[0]}`)).toEqual([
      "GET releases",
      "PUT Nexus-3.0.0.AppImage",
      "PUT Nexus-3.0.0.AppImage.blockmap",
      "POST publish",
    ]);
    expect(api.releases()[0]).toMatchObject({
      status: "published",
      rollout: { state: "active", percent: 25, ramp_hours: 48 },
    });
    expect(rerun.stderr).toContain("  rollout   active, 25 %, ramping to 100 % over 48 h (now 25 %)");
  });

  it("uploads files above the threshold in parts of the size the API asks for", async () => {
    const big = bytesOf(3 * 64 * 1024 + 10, "big");
    const dir = await fakeBuild("4.0.0", { "latest.yml": [{ url: "Nexus-Setup-4.0.0.exe", bytes: big }] });
    api = await startReleaseApiStandIn({ adminSecret: SECRET, partSize: 64 * 1024 });
    const stderr = Object.assign(capture(), { isTTY: false });
    const code = await releasePublish(
      { dir, channel: "stable", baseUrl: api.url, adminSecret: SECRET, singleUploadLimit: 100 * 1024 },
      { fetch: localOnlyFetch, stderr },
    );
    expect(code).toBe(0);
    const [release] = api.releases();
    const base = `/api/admin/releases/${release?.id}/files/Nexus-Setup-4.0.0.exe`;
    const calls = api.requests.map(
      (r) => `${r.method} ${r.path.replace(base, "…")}${r.method === "PUT" ? ` ${r.contentLength}` : ""}`,
    );
    const uploadId = /\/multipart\/([^/]+)\//.exec(calls[3] ?? "")?.[1];
    expect(calls.slice(2, 8)).toEqual([
      "POST …/multipart",
      `PUT …/multipart/${uploadId}/1 65536`,
      `PUT …/multipart/${uploadId}/2 65536`,
      `PUT …/multipart/${uploadId}/3 65536`,
      `PUT …/multipart/${uploadId}/4 10`,
      `POST …/multipart/${uploadId}/complete`,
    ]);
    // The small blockmap goes in one request.
    expect(calls[8]).toBe("PUT ….blockmap 300");
    expect(api.stored(release?.id ?? "", "Nexus-Setup-4.0.0.exe")?.equals(big)).toBe(true);
    expect(release?.status).toBe("published");
    expect(stderr.text()).toContain("[1/2] Nexus-Setup-4.0.0.exe (4 parts)  [########################] 100%");
  });

  it("takes the notes from --notes, and refuses a draft made from another build", async () => {
    const notes = join(root.path, "notes.md");
    await writeFile(notes, "# 5.0.0\n\n- Faster sync\n");
    const dir = await fakeBuild("5.0.0", { "latest.yml": [exe("5.0.0")] }, { releaseNotes: "from the yml" });
    api = await startReleaseApiStandIn({ adminSecret: SECRET });
    api.corruptUploads.add("Nexus-Setup-5.0.0.exe");
    expect((await publish([dir, "--channel", "beta", "--notes", notes])).code).toBe(1);
    expect(api.releases()[0]?.notes).toBe("# 5.0.0\n\n- Faster sync\n");

    const other = await fakeBuild("5.0.0", { "latest.yml": [exe("5.0.0", 4096)] });
    const result = await publish([other, "--channel", "beta"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("declares other files than");
    expect(result.stderr).toContain(
      "it was created from another build. Publish this build under a new version.",
    );
    expect(result.stderr).toContain("  - Nexus-Setup-5.0.0.exe: other bytes");
  });

  it("passes the API's errors on, e.g. an unknown channel or a wrong secret", async () => {
    const dir = await fakeBuild("6.0.0", { "latest.yml": [exe("6.0.0")] });
    const unknown = await publish([dir, "--channel", "nightly"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^error: CHANNEL_NOT_FOUND: No channel nightly\. \(HTTP 404, request id req_\d+\)\n$/m,
    );

    const wrong = await runCli(["release", "publish", dir, "--channel", "stable", "--url", api?.url ?? ""], {
      env: { NEXUS_ADMIN_SECRET: "wrong" },
      cwd: root.path,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("error: UNAUTHORIZED: Missing or invalid admin credentials (HTTP 401");
  });
});

describe("release publish: command line", () => {
  it.each([
    [["dist"], "release publish needs --channel <name>"],
    [["--channel", "beta"], "release publish needs the folder electron-builder wrote"],
    [
      ["dist", "--channel", "latest"],
      "--channel latest: `latest` is the stable channel's file name, not a channel",
    ],
    [
      ["dist", "--channel", "beta", "--rollout", "150"],
      '--rollout must be a percentage from 0 to 100, not "150"',
    ],
    [
      ["dist", "--channel", "beta", "--ramp-hours", "5"],
      "--ramp-hours needs --rollout <percent> to start from",
    ],
    [
      ["dist", "--channel", "beta", "--rollout", "5", "--ramp-hours", "0"],
      "--ramp-hours must be a number of hours",
    ],
    [["dist", "more", "--channel", "beta"], 'unexpected argument "more" after `release publish`'],
    [["dist", "--channel", "beta", "--local"], "release publish does not take --local"],
  ])("%j → usage error", async (args, message) => {
    const env = { NEXUS_ADMIN_SECRET: SECRET };
    const stderr = await usageErrorOf(["release", "publish", ...args], { env, cwd: root.path });
    expect(stderr).toContain(`error: ${message}`);
  });
});

describe("upload progress", () => {
  it("prints a line per 10 % and a final one when stderr is not a terminal", () => {
    const sink = capture();
    const progress = startUploadProgress(sink, "[1/1] a.exe", 1000);
    for (let i = 0; i < 100; i++) progress.advance(10);
    progress.finish("stored");
    const lines = sink.text().split("\n").filter(Boolean);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe("[1/1] a.exe  [##......................]  10%  100 B / 1000 B");
    expect(lines[9]).toBe("[1/1] a.exe  [########################] 100%  1000 B / 1000 B  stored");
  });

  it("redraws one line in place on a terminal", () => {
    const sink = Object.assign(capture(), { isTTY: true });
    const progress = startUploadProgress(sink, "a.exe", 2 * 1024 * 1024);
    progress.advance(1024 * 1024);
    progress.advance(1024 * 1024);
    progress.finish("stored");
    const text = sink.text();
    expect(text.split("\n")).toHaveLength(2);
    expect(text.match(/\r/g)).toHaveLength(4);
    expect(text).toContain("\ra.exe  [############............]  50%  1.0 MiB / 2.0 MiB\u001b[K");
    expect(
      text.endsWith("\ra.exe  [########################] 100%  2.0 MiB / 2.0 MiB\u001b[K  stored\n"),
    ).toBe(true);
  });
});
