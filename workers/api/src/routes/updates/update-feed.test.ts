import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { ChannelFile } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { callAsOperator, expectError, json, validatedMachine } from "../../../test/helpers.ts";
import { feed, installersFor, publishRelease, sha512Base64, stagingIdAt } from "../../../test/releases.ts";
import { companyHub } from "../../services/hub.ts";
import { installationCohort } from "../../services/updates/rollout.ts";
import { channelFile, joined } from "./fixtures.ts";

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

describe("channel access", () => {
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

describe("the isolate's feed cache", () => {
  it("serves two cohorts different releases from the same cached candidates, the same bytes every time", async () => {
    const { auth } = await joined();
    await publishRelease("1.0.0");
    await publishRelease("1.1.0", { rollout: { percent: 50 }, files: installersFor("1.1.0", 81) });
    const text = async (fraction: number) => {
      const response = await feed("latest.yml", auth, { "x-user-staging-id": stagingIdAt(fraction) });
      expect(response.status).toBe(200);
      return response.text();
    };
    const inside = await text(0.1);
    const outside = await text(0.9);
    expect((parse(inside) as ChannelFile).version).toBe("1.1.0");
    expect((parse(outside) as ChannelFile).version).toBe("1.0.0");
    // Served from the cache now, interleaved: each cohort keeps its own release, byte for byte.
    for (let i = 0; i < 3; i++) {
      expect(await text(0.9)).toBe(outside);
      expect(await text(0.1)).toBe(inside);
    }
  });

  it("renders each company's own minimum version from the shared cached candidates", async () => {
    const first = await joined();
    const second = await joined();
    await publishRelease("1.4.0", { minimum_version: "1.1.0" });
    const setMinimum = (companyId: string, minimum: string | null) =>
      callAsOperator(`/api/admin/companies/${companyId}`, {
        method: "PATCH",
        body: { minimum_app_version: minimum },
      });
    expect((await setMinimum(second.company.company_id, "1.3.0")).status).toBe(200);
    expect((await channelFile("latest.yml", first.auth)).minimumVersion).toBe("1.1.0");
    expect((await channelFile("latest.yml", second.auth)).minimumVersion).toBe("1.3.0");
    expect((await channelFile("latest.yml", first.auth)).minimumVersion).toBe("1.1.0");
    // A company change after the files were rendered is served at once.
    expect((await setMinimum(first.company.company_id, "1.2.0")).status).toBe(200);
    expect((await channelFile("latest.yml", first.auth)).minimumVersion).toBe("1.2.0");
    expect((await setMinimum(second.company.company_id, null)).status).toBe(200);
    expect((await channelFile("latest.yml", second.auth)).minimumVersion).toBe("1.1.0");
  });

  it("serves an edit of a published release at once", async () => {
    const { auth } = await joined();
    const release = await publishRelease("1.5.0", { notes: "First notes" });
    expect((await channelFile("latest.yml", auth)).releaseNotes).toBe("First notes");
    const edited = await callAsOperator(`/api/admin/releases/${release.id}`, {
      method: "PATCH",
      body: { notes: "Second notes", mandatory: true },
    });
    expect(edited.status).toBe(200);
    expect(await channelFile("latest.yml", auth)).toMatchObject({
      releaseNotes: "Second notes",
      mandatory: true,
    });
  });

  it("applies a channel grant, its revocation and a change of the company's channel at once", async () => {
    const { company, auth } = await joined();
    await publishRelease("1.0.0");
    await publishRelease("1.1.0-beta.1", { channel: "beta", files: installersFor("1.1.0-beta.1", 82) });
    const access = (body: Record<string, unknown>) =>
      callAsOperator(`/api/admin/companies/${company.company_id}/update-access`, { method: "PUT", body });
    await expectError(await feed("beta.yml", auth), 403, "CHANNEL_NOT_ALLOWED");
    expect((await access({ channels: ["beta"] })).status).toBe(200);
    expect((await channelFile("beta.yml", auth)).version).toBe("1.1.0-beta.1");
    expect((await access({ channels: [] })).status).toBe(200);
    await expectError(await feed("beta.yml", auth), 403, "CHANNEL_NOT_ALLOWED");
    const moved = await callAsOperator(`/api/admin/companies/${company.company_id}`, {
      method: "PATCH",
      body: { update_channel: "beta" },
    });
    expect(moved.status).toBe(200);
    expect((await channelFile("beta.yml", auth)).version).toBe("1.1.0-beta.1");
  });

  it("finds the company by the code as sent, validated the same way", async () => {
    const { auth } = await joined();
    await publishRelease("1.0.0");
    const lower = { ...auth, companyCode: auth.companyCode.toLowerCase() };
    for (let i = 0; i < 2; i++) {
      expect((await channelFile("latest.yml", lower)).version).toBe("1.0.0");
      await expectError(await feed("latest.yml", { ...auth, companyCode: "x" }), 404, "COMPANY_NOT_FOUND");
    }
  });
});

describe("concurrent checks of one installation", () => {
  it("allows exactly the limit, counts each allowed check once, and refuses a revoked installation", async () => {
    const limit = 6;
    const put = await callAsOperator("/api/admin/rate-limits/standard/update_check", {
      method: "PUT",
      body: { limit, window_seconds: 3600 },
    });
    expect(put.status).toBe(200);
    const { company, auth } = await joined({ update_channel: "stable" });
    const revoked = await validatedMachine(company.company_code, "pc-revoked");
    const release = await publishRelease("2.0.0");
    const deactivated = await callAsOperator(
      `/api/admin/companies/${company.company_id}/installations/${revoked.installation.id}/deactivate`,
      { method: "POST" },
    );
    expect(deactivated.status).toBe(200);
    const revokedAuth = { companyCode: company.company_code, token: revoked.installation.token };
    const senders = [...Array<typeof auth>(limit + 5).fill(auth), revokedAuth, revokedAuth];
    const responses = await Promise.all(senders.map((sender) => feed("latest.yml", sender)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status, i) => senders[i] === auth && status === 200)).toHaveLength(limit);
    expect(statuses.filter((status, i) => senders[i] === auth && status === 429)).toHaveLength(5);
    for (const [i, response] of responses.entries()) {
      if (senders[i] === revokedAuth) await expectError(response, 403, "INSTALLATION_DEACTIVATED");
    }
    // Held in the hub until its alarm: exactly the allowed checks reach D1, once.
    const hub = companyHub(env, company.company_id);
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    const counted = () =>
      env.CENTRAL_DB.prepare("SELECT checks FROM update_stats WHERE company_id = ? AND release_id = ?")
        .bind(company.company_id, release.id)
        .first<{ checks: number }>();
    expect(await counted()).toEqual({ checks: limit });
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    expect(await counted()).toEqual({ checks: limit });
  });
});
