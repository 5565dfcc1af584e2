import { env } from "cloudflare:workers";
import type { ChannelFile, Release } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import {
  bytesOf,
  feed,
  installersFor,
  publishRelease,
  sha512Base64,
  stagingIdAt,
} from "../../../test/releases.ts";
import { companyOwner } from "../../../test/users.ts";
import { clearFeedCache } from "../../services/updates/feed.ts";
import { installationCohort } from "../../services/updates/rollout.ts";

async function joined(overrides: { update_channel?: string; admin_email?: string } = {}) {
  const company = await registerCompany(overrides.admin_email ? { admin_email: overrides.admin_email } : {});
  if (overrides.update_channel) {
    await callAsOperator(`/api/admin/companies/${company.company_id}`, {
      method: "PATCH",
      body: { update_channel: overrides.update_channel },
    });
  }
  const machine = await validatedMachine(company.company_code, `pc-${crypto.randomUUID()}`);
  return {
    company,
    installationId: machine.installation.id,
    auth: { companyCode: company.company_code, token: machine.installation.token },
  };
}

async function channelFile(
  path: string,
  auth: { companyCode: string; token: string },
  headers: Record<string, string> = {},
): Promise<ChannelFile> {
  const response = await feed(path, auth, headers);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("content-type")).toContain("yaml");
  return parse(await response.text()) as ChannelFile;
}

describe("channel files", () => {
  it("serves each platform its own files, in electron-builder's format", async () => {
    const { auth } = await joined();
    const files = installersFor("1.2.0");
    await publishRelease("1.2.0", { files, notes: 'Faster sync.\nFixes: "quotes" and: colons' });
    const expectations: [string, string][] = [
      ["latest.yml", "Nexus-Setup-1.2.0.exe"],
      ["latest-mac.yml", "Nexus-1.2.0-mac.zip"],
      ["latest-linux.yml", "Nexus-1.2.0.AppImage"],
      ["latest-linux-arm64.yml", "Nexus-1.2.0-arm64.AppImage"],
    ];
    for (const [path, name] of expectations) {
      const info = await channelFile(path, auth);
      const file = files.find((candidate) => candidate.name === name);
      if (!file) throw new Error(name);
      expect(info).toMatchObject({
        version: "1.2.0",
        path: name,
        sha512: await sha512Base64(file.bytes),
        releaseName: "Nexus 1.2.0",
        releaseNotes: 'Faster sync.\nFixes: "quotes" and: colons',
        mandatory: false,
      });
      expect(info.files).toEqual([
        { url: name, sha512: await sha512Base64(file.bytes), size: file.bytes.byteLength },
      ]);
      expect(Number.isNaN(Date.parse(info.releaseDate ?? ""))).toBe(false);
      // The server decides rollouts; the client must never filter again.
      expect(info.stagingPercentage).toBeUndefined();
    }
    await expectError(await feed("latest-linux-armv7l.yml", auth), 404, "RELEASE_NOT_FOUND");
  });

  it("serves the newest version, with minimumVersion and mandatory as extra fields", async () => {
    const { auth } = await joined();
    await publishRelease("1.2.0");
    await publishRelease("1.10.0", {
      minimum_version: "1.1.0",
      mandatory: true,
      files: installersFor("1.10.0", 11),
    });
    await publishRelease("1.9.0", { files: installersFor("1.9.0", 12) });
    const info = await channelFile("latest.yml", auth);
    expect(info).toMatchObject({ version: "1.10.0", minimumVersion: "1.1.0", mandatory: true });
  });

  it("answers 404, 403 and 401 as JSON envelopes for unknown companies, suspended ones and bad tokens", async () => {
    const { company, auth } = await joined();
    await publishRelease("1.0.0");
    await expectError(
      await feed("latest.yml", { ...auth, companyCode: "NOPE-0000" }),
      404,
      "COMPANY_NOT_FOUND",
    );
    await expectError(await feed("latest.yml", { ...auth, token: "not-a-jwt" }), 401, "INVALID_TOKEN");
    const other = await joined();
    // A valid token of another company does not open this company's feed.
    await expectError(await feed("latest.yml", { ...auth, token: other.auth.token }), 401, "INVALID_TOKEN");
    const noToken = await feed("latest.yml", { ...auth, token: "" });
    await expectError(noToken, 401, "UNAUTHORIZED");
    await callAsOperator(`/api/admin/companies/${company.company_id}/suspend`, {
      body: { reason: "unpaid" },
    });
    await expectError(await feed("latest.yml", auth), 403, "COMPANY_SUSPENDED");
  });

  it("refuses a deactivated installation's still-valid token at once", async () => {
    const { company, auth } = await joined();
    await publishRelease("1.0.0");
    expect((await feed("latest.yml", auth)).status).toBe(200);
    const listed = await json<{ installations: { id: string }[] }>(
      await callAsOperator(`/api/admin/companies/${company.company_id}/installations`),
    );
    const [installation] = listed.installations;
    await callAsOperator(
      `/api/admin/companies/${company.company_id}/installations/${installation?.id}/deactivate`,
      {
        body: {},
      },
    );
    await expectError(await feed("latest.yml", auth), 403, "INSTALLATION_DEACTIVATED");
    await expectError(await feed("Nexus-Setup-1.0.0.exe", auth), 403, "INSTALLATION_DEACTIVATED");
  });

  it("takes the token from ?token= and the company from X-Company-Code", async () => {
    const { auth } = await joined();
    await publishRelease("1.0.0");
    const { exports } = await import("cloudflare:workers");
    const response = await exports.default.fetch(
      `http://nexus.test/api/updates/latest.yml?token=${encodeURIComponent(auth.token)}`,
      { headers: { "X-Company-Code": auth.companyCode } },
    );
    expect(response.status).toBe(200);
  });

  it("refuses unknown channels, foreign channels and malformed names with 4xx", async () => {
    const { auth } = await joined();
    await publishRelease("1.0.0");
    await expectError(await feed("nightly.yml", auth), 404, "CHANNEL_NOT_FOUND");
    await expectError(await feed("beta.yml", auth), 403, "CHANNEL_NOT_ALLOWED");
    await expectError(await feed("latest-windows.yml", auth), 404, "CHANNEL_NOT_FOUND");
    await expectError(await feed("LATEST.yml", auth), 404, "CHANNEL_NOT_FOUND");
    for (const path of ["..%2F..%2Fwrangler.toml", "%2E%2E%2Fsecret", "a%00b.exe", ".hidden", "x%20y.exe"]) {
      const response = await feed(path, auth);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
    await expectError(await feed("check?version=not-a-version", auth), 400, "VALIDATION_FAILED");
  });
});

describe("channel access and pinning", () => {
  it("gives a beta subscriber beta releases and newer stable ones, and keeps stable subscribers on stable", async () => {
    const beta = await joined({ update_channel: "beta" });
    const stable = await joined();
    await publishRelease("2.0.0-beta.1", { channel: "beta", files: installersFor("2.0.0-beta.1", 21) });
    await publishRelease("1.5.0");
    expect((await channelFile("beta.yml", beta.auth)).version).toBe("2.0.0-beta.1");
    expect((await channelFile("latest.yml", beta.auth)).version).toBe("1.5.0");
    expect((await channelFile("latest.yml", stable.auth)).version).toBe("1.5.0");
    await expectError(await feed("beta.yml", stable.auth), 403, "CHANNEL_NOT_ALLOWED");
    // A newer stable release overtakes the beta for beta subscribers.
    await publishRelease("2.0.0", { files: installersFor("2.0.0", 22) });
    expect((await channelFile("beta.yml", beta.auth)).version).toBe("2.0.0");
  });

  it("grants extra channels per company and pins a company's version", async () => {
    const { company, auth } = await joined();
    await publishRelease("1.0.0");
    await publishRelease("1.1.0", { files: installersFor("1.1.0", 31) });
    await publishRelease("1.2.0-beta.1", { channel: "beta", files: installersFor("1.2.0-beta.1", 32) });
    const granted = await callAsOperator(`/api/admin/companies/${company.company_id}/update-access`, {
      method: "PUT",
      body: { channels: ["beta"], pinned_version: "1.0.0" },
    });
    expect(await json(granted)).toMatchObject({ channels: ["stable", "beta"], pinned_version: "1.0.0" });
    expect((await channelFile("latest.yml", auth)).version).toBe("1.0.0");
    expect((await channelFile("beta.yml", auth)).version).toBe("1.0.0");
    // A pinned company cannot fetch a newer installer by name either.
    await expectError(await feed("Nexus-Setup-1.1.0.exe", auth), 404, "FILE_NOT_FOUND");
    await callAsOperator(`/api/admin/companies/${company.company_id}/update-access`, {
      method: "PUT",
      body: { pinned_version: null },
    });
    expect((await channelFile("beta.yml", auth)).version).toBe("1.2.0-beta.1");
    const unknown = await callAsOperator(`/api/admin/companies/${company.company_id}/update-access`, {
      method: "PUT",
      body: { channels: ["nightly"] },
    });
    await expectError(unknown, 404, "CHANNEL_NOT_FOUND");
  });
});

describe("a company's releases, as its dashboard users see them", () => {
  it("lists what the company receives with its rollout state and its own update counts, nothing more", async () => {
    const { company, auth } = await joined({ update_channel: "beta", admin_email: "owner@beta.example" });
    const other = await joined({ admin_email: "owner@stable.example" });
    await publishRelease("3.0.0", { files: installersFor("3.0.0", 61) });
    const beta = await publishRelease("3.1.0-beta.1", {
      channel: "beta",
      rollout: { percent: 40 },
      files: installersFor("3.1.0-beta.1", 62),
    });
    // A release on a channel the company does not receive stays out of its list.
    await callAsOperator("/api/admin/channels", { body: { name: "internal", parent: null } });
    await publishRelease("9.9.9", { channel: "internal", files: installersFor("9.9.9", 63) });
    clearFeedCache();
    await channelFile("beta.yml", auth, { "x-user-staging-id": stagingIdAt(0) });
    await channelFile("latest.yml", other.auth);
    // The hubs count checks after the responses and write them to D1 on their alarm.
    const { runDurableObjectAlarm } = await import("cloudflare:test");
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const id of [company.company_id, other.company.company_id]) {
      await runDurableObjectAlarm(env.COMPANY_HUB.get(env.COMPANY_HUB.idFromName(id)));
    }

    const owner = await companyOwner(company.company_id, "owner@beta.example");
    const response = await call(`/api/admin/companies/${company.company_id}/releases`, {
      headers: { cookie: owner },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const listed = await json<{
      update_channel: string;
      granted_channels: string[];
      channels: string[];
      releases: Release[];
      stats: { company_id: string; release_id: string; checks: number }[];
    }>(response);
    expect(listed.channels).toEqual(["beta", "stable"]);
    expect(listed).toMatchObject({ update_channel: "beta", granted_channels: [] });
    expect(listed.releases.map((release) => release.version)).toEqual(["3.1.0-beta.1", "3.0.0"]);
    expect(listed.releases[0]?.rollout).toMatchObject({ state: "active", percent: 40 });
    // Only this company's own checks: the other company's check of 3.0.0 (recorded) is not in it.
    const others = await json<{ rows: unknown[] }>(
      await callAsOperator(`/api/admin/update-stats?company_id=${other.company.company_id}`),
    );
    expect(others.rows).toHaveLength(1);
    expect(listed.stats.every((row) => row.company_id === company.company_id)).toBe(true);
    expect(listed.stats.find((row) => row.release_id === beta.id)?.checks).toBe(1);

    // Another company's owner gets nothing of it.
    const stranger = await companyOwner(other.company.company_id, "owner@stable.example");
    await expectError(
      await call(`/api/admin/companies/${company.company_id}/releases`, { headers: { cookie: stranger } }),
      404,
      "COMPANY_NOT_FOUND",
    );
  });
});

describe("staged rollouts", () => {
  it("splits cohorts exactly where electron-updater does, and serves the others the previous release", async () => {
    const { auth } = await joined();
    await publishRelease("1.0.0");
    const rolling = await publishRelease("1.1.0", {
      rollout: { percent: 50 },
      files: installersFor("1.1.0", 41),
    });
    expect(rolling.rollout).toMatchObject({ state: "active", percent: 50, effective_percent: 50 });
    const versionFor = async (fraction: number) =>
      (await channelFile("latest.yml", auth, { "x-user-staging-id": stagingIdAt(fraction) })).version;
    // 0x7fffffff / 0xffffffff is just below one half: inside; 0x80000000 just above: outside.
    expect(await versionFor(0x7fffffff / 0xffffffff)).toBe("1.1.0");
    expect(await versionFor(0x80000000 / 0xffffffff)).toBe("1.0.0");
    expect(await versionFor(0)).toBe("1.1.0");
    expect(await versionFor(1)).toBe("1.0.0");
  });

  it("ramps over time, pauses, halts (everyone back to the previous release), resumes and goes to 100 %", async () => {
    const { auth } = await joined();
    await publishRelease("1.0.0");
    const release = await publishRelease("1.1.0", {
      rollout: { percent: 10, ramp_hours: 10 },
      files: installersFor("1.1.0", 51),
    });
    const versionAt = async (fraction: number) =>
      (await channelFile("latest.yml", auth, { "x-user-staging-id": stagingIdAt(fraction) })).version;
    expect(await versionAt(0.05)).toBe("1.1.0");
    expect(await versionAt(0.5)).toBe("1.0.0");
    // Five hours in: 10 + 90 * 0.5 = 55 %.
    await env.CENTRAL_DB.prepare(
      "UPDATE releases SET rollout_started_at = rollout_started_at - ? WHERE id = ?",
    )
      .bind(5 * 3600 * 1000, release.id)
      .run();
    clearFeedCache(); // the change bypassed the operator routes, which clear it themselves
    const rollout = (path: string, body: unknown) =>
      callAsOperator(`/api/admin/releases/${release.id}/${path}`, { body });
    expect(await versionAt(0.5)).toBe("1.1.0");
    expect(await versionAt(0.6)).toBe("1.0.0");

    const paused = await json<{ release: Release }>(await rollout("rollout", { action: "pause" }));
    expect(paused.release.rollout.state).toBe("paused");
    expect(paused.release.rollout.effective_percent).toBeCloseTo(55, 0);
    expect(await versionAt(0.5)).toBe("1.1.0");

    const halted = await json<{ release: Release }>(await rollout("rollout", { action: "halt" }));
    expect(halted.release.rollout.effective_percent).toBe(0);
    expect(await versionAt(0.01)).toBe("1.0.0");

    const resumed = await json<{ release: Release }>(await rollout("rollout", { action: "resume" }));
    expect(resumed.release.rollout.effective_percent).toBeCloseTo(55, 0);
    expect(await versionAt(0.5)).toBe("1.1.0");
    await expectError(await rollout("rollout", { action: "resume" }), 409, "RELEASE_STATE_CONFLICT");

    await rollout("rollout", { action: "set", percent: 100 });
    expect(await versionAt(1)).toBe("1.1.0");
    await expectError(await rollout("rollout", { action: "set", percent: 101 }), 400, "VALIDATION_FAILED");
  });

  it("uses the installation's own cohort when no staging id is sent", async () => {
    await publishRelease("1.0.0");
    await publishRelease("1.1.0", { rollout: { percent: 50 }, files: installersFor("1.1.0", 61) });
    for (let i = 0; i < 8; i++) {
      const { auth, installationId } = await joined();
      const expected = (await installationCohort(installationId)) < 0.5 ? "1.1.0" : "1.0.0";
      expect((await channelFile("latest.yml", auth)).version).toBe(expected);
      // The same installation lands on the same side every time.
      expect((await channelFile("latest.yml", auth)).version).toBe(expected);
    }
  });
});

describe("yanking", () => {
  it("never offers a yanked release again, but keeps its blockmap downloadable", async () => {
    const { auth } = await joined();
    await publishRelease("1.0.0");
    const blockmap = bytesOf(300, 71);
    const bad = await publishRelease("1.1.0", {
      files: [
        ...installersFor("1.1.0", 72),
        { name: "Nexus-Setup-1.1.0.exe.blockmap", platform: "win", kind: "blockmap", bytes: blockmap },
      ],
    });
    expect((await channelFile("latest.yml", auth)).version).toBe("1.1.0");
    const yanked = await callAsOperator(`/api/admin/releases/${bad.id}/yank`, {
      body: { reason: "crashes on start" },
    });
    expect((await json<{ release: Release }>(yanked)).release.status).toBe("yanked");
    expect((await channelFile("latest.yml", auth)).version).toBe("1.0.0");
    await expectError(await feed("Nexus-Setup-1.1.0.exe", auth), 404, "FILE_NOT_FOUND");
    const kept = await feed("Nexus-Setup-1.1.0.exe.blockmap", auth);
    expect(new Uint8Array(await kept.arrayBuffer())).toEqual(blockmap);
    await expectError(
      await callAsOperator(`/api/admin/releases/${bad.id}/yank`, { body: { reason: "again" } }),
      409,
      "RELEASE_STATE_CONFLICT",
    );
  });
});
