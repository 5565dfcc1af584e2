// electron-updater (the real package, in plain Node) against the real API worker on Miniflare:
// releases made like electron-builder's output, published with the CLI, then found, downloaded in
// full and differentially, and refused when the stored bytes do not match their sha512.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoRelease, type DemoReleaseFile, makeDemoRelease } from "../scripts/demo-release.ts";
import { type LocalSystem, startLocalSystem } from "./local-system.ts";
import {
  type RecordedRequest,
  transferSummary,
  UpdaterDriver,
  type UpdaterDriverOptions,
  type UpdaterTarget,
} from "./updater-driver.ts";

const cliMain = fileURLToPath(new URL("../packages/cli/src/main.ts", import.meta.url));
const CHANNEL = "stable";

let system: LocalSystem;
let tmp: string;
let companyCode: string;
let installationToken: string;
let older: DemoRelease;
let newer: DemoRelease;
const drivers: UpdaterDriver[] = [];

function artifact(release: DemoRelease, target: UpdaterTarget): DemoReleaseFile {
  const platform = target === "nsis" ? "win" : "linux";
  const file = release.files.find(
    (candidate) => candidate.platform === platform && candidate.kind === "artifact",
  );
  if (!file) throw new Error(`demo release ${release.version} has no ${platform} artifact`);
  return file;
}

async function driver(
  target: UpdaterTarget,
  extra: Partial<UpdaterDriverOptions> = {},
): Promise<UpdaterDriver> {
  const created = await UpdaterDriver.create({
    target,
    // electron-updater copies the feed URL's query onto every request it makes.
    feedUrl: new URL(`/api/updates?company_code=${encodeURIComponent(companyCode)}`, system.url).href,
    channel: CHANNEL,
    appVersion: "1.0.0",
    requestHeaders: { authorization: `Bearer ${installationToken}` },
    ...extra,
  });
  drivers.push(created);
  return created;
}

async function publish(dir: string, extra: string[] = []): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [
      cliMain,
      "release",
      "publish",
      dir,
      "--channel",
      CHANNEL,
      "--url",
      system.url.origin,
      "--admin-secret",
      system.adminSecret,
      ...extra,
    ],
    { timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } },
  );
}

const sha512Of = async (path: string) =>
  createHash("sha512")
    .update(await readFile(path))
    .digest("base64");
const path = (request: RecordedRequest | undefined) => (request ? new URL(request.url).pathname : null);

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "nexus-e2e-releases-"));
  system = await startLocalSystem();
  const company = await system.registerCompany({ company_name: "Updater E2E" });
  companyCode = company.company_code;
  const validated = await system.validateMachine({
    company_code: companyCode,
    machine_id: "e2e-machine-1",
    hostname: "e2e-host",
    app_version: "1.0.0",
  });
  installationToken = validated.installation.token;
  // Same seed: the two versions share most of their bytes, as consecutive builds do.
  const seed = "nexus-e2e";
  older = await makeDemoRelease({ dir: join(tmp, "1.0.0"), version: "1.0.0", seed });
  await publish(older.dir);
  newer = await makeDemoRelease({ dir: join(tmp, "1.1.0"), version: "1.1.0", seed });
  await publish(newer.dir);
}, 180_000);

afterAll(async () => {
  await Promise.all(drivers.map((created) => created.dispose()));
  await system?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// Generous: on a loaded CI machine the worker and the demo releases share two cores.
describe("electron-updater against the Nexus feed", { timeout: 60_000 }, () => {
  it("finds 1.1.0 and downloads the installer in full, verified by sha512", async () => {
    const nsis = await driver("nsis");
    nsis.updater.disableDifferentialDownload = true;
    const check = await nsis.checkForUpdates();
    expect(check.isUpdateAvailable).toBe(true);
    expect(check.updateInfo.version).toBe("1.1.0");
    const [channelFile] = nsis.requests;
    expect(path(channelFile)).toBe(`/api/updates/${CHANNEL}.yml`);
    expect(channelFile?.status).toBe(200);

    const expected = artifact(newer, "nsis");
    const mark = nsis.mark();
    const [file] = await nsis.downloadUpdate();
    expect(await sha512Of(file ?? "")).toBe(expected.sha512);
    const summary = transferSummary(nsis.since(mark), expected.name);
    expect(summary.requests).toBe(1);
    expect(summary.fullArtifactGets.map((request) => request.status)).toEqual([200]);
    expect(summary.artifactBytes).toBe(expected.size);
  });

  it("downloads 1.1.0 differentially from the installed 1.0.0 (NSIS: blockmaps, then multi-range)", async () => {
    const nsis = await driver("nsis");
    await nsis.installPrevious(artifact(older, "nsis").path);
    await nsis.checkForUpdates();
    const expected = artifact(newer, "nsis");
    const mark = nsis.mark();
    const [file] = await nsis.downloadUpdate();
    expect(await sha512Of(file ?? "")).toBe(expected.sha512);

    const recorded = nsis.since(mark);
    const summary = transferSummary(recorded, expected.name);
    expect(summary.fellBackToFull, JSON.stringify(recorded.logs, null, 1)).toBe(false);
    expect(summary.fullArtifactGets).toEqual([]);
    expect(summary.blockmapRequests.map((request) => [path(request), request.status])).toEqual([
      [`/api/updates/${expected.name}.blockmap`, 200],
      [`/api/updates/${artifact(older, "nsis").name}.blockmap`, 200],
    ]);
    expect(summary.multiRangeRequests.length).toBeGreaterThan(0);
    for (const request of summary.multiRangeRequests) {
      expect(request.status).toBe(206);
      expect(request.contentType).toMatch(/^multipart\/byteranges; ?boundary=/);
      expect(request.complete).toBe(true);
    }
    // Two consecutive demo builds differ in a few patches and one inserted run of at most 136 KiB.
    expect(summary.artifactBytes).toBeLessThan(expected.size / 3);
    console.info(
      `differential NSIS download: ${summary.requests} requests, ${summary.bytes} bytes ` +
        `(${summary.artifactBytes} of the ${expected.size}-byte installer); ${summary.differentialPlan}`,
    );
  });

  it("downloads the AppImage differentially (blockmaps appended to the files, tail range, multi-range)", async () => {
    const appImage = await driver("appimage");
    await appImage.installPrevious(artifact(older, "appimage").path);
    const check = await appImage.checkForUpdates();
    expect(path(appImage.requests[0])).toBe(`/api/updates/${CHANNEL}-linux.yml`);
    expect(check.updateInfo.version).toBe("1.1.0");
    const expected = artifact(newer, "appimage");
    const mark = appImage.mark();
    const [file] = await appImage.downloadUpdate();
    expect(await sha512Of(file ?? "")).toBe(expected.sha512);

    const recorded = appImage.since(mark);
    const summary = transferSummary(recorded, expected.name);
    expect(summary.fellBackToFull, JSON.stringify(recorded.logs, null, 1)).toBe(false);
    expect(summary.fullArtifactGets).toEqual([]);
    expect(summary.blockmapRequests).toEqual([]);
    expect(summary.multiRangeRequests.length).toBeGreaterThan(0);
    expect(summary.artifactBytes).toBeLessThan(expected.size / 3);
  });

  it("refuses an installer whose stored bytes no longer match the channel file's sha512", async () => {
    const expected = artifact(newer, "nsis");
    const bucket = await system.mf.getR2Bucket("ARTIFACTS");
    const listed = await bucket.list();
    const key = listed.objects.map((object) => object.key).find((name) => name.endsWith(`/${expected.name}`));
    expect(key, listed.objects.map((object) => object.key).join(", ")).toBeDefined();
    const bytes = await readFile(expected.path);
    // Same length, one byte flipped: only the digest can tell.
    const middle = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    await bucket.put(key ?? "", bytes);

    // Another installation, so this test's full download is not counted against the first one's.
    const other = await system.validateMachine({
      company_code: companyCode,
      machine_id: "e2e-machine-2",
      hostname: "e2e-host-2",
      app_version: "1.0.0",
    });
    const nsis = await driver("nsis", {
      requestHeaders: { authorization: `Bearer ${other.installation.token}` },
    });
    nsis.updater.disableDifferentialDownload = true;
    await nsis.checkForUpdates();
    await expect(nsis.downloadUpdate()).rejects.toThrow(/sha512 checksum mismatch/);
  });

  it("agrees with electron-updater on staged rollout cohorts (decided by the server from .updaterId)", async () => {
    const rolling = await makeDemoRelease({ dir: join(tmp, "1.2.0"), version: "1.2.0", seed: "nexus-e2e" });
    await publish(rolling.dir, ["--rollout", "50"]);
    // electron-updater's cohort: the staging id's last four bytes over 0xffffffff, inside when < 0.5.
    const inside = await driver("nsis", { stagingUserId: "4a4f5e2c-8d1b-4c3e-9f7a-00000000ffff" });
    const outside = await driver("nsis", { stagingUserId: "4a4f5e2c-8d1b-4c3e-9f7a-0000fffffff0" });
    expect((await inside.checkForUpdates()).updateInfo.version).toBe("1.2.0");
    // Outside the rollout: the previous release, not nothing.
    expect((await outside.checkForUpdates()).updateInfo.version).toBe("1.1.0");
  });
});
