import { env, exports } from "cloudflare:workers";
import type { Release } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  adminToken,
  BASE_URL,
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import {
  bytesOf,
  declare,
  feed,
  installersFor,
  publishRelease,
  sha512Base64,
  upload,
} from "../../../test/releases.ts";

async function draft(version: string, files = installersFor(version)) {
  const response = await callAsOperator("/api/admin/releases", {
    body: { channel: "stable", version, files: await Promise.all(files.map(declare)) },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return { release: (await json<{ release: Release }>(response)).release, files };
}

const objectKeys = async () => (await env.ARTIFACTS.list()).objects.map((object) => object.key);

function operatorFetch(path: string, init: RequestInit): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${adminToken()}`);
  return exports.default.fetch(new Request(`${BASE_URL}${path}`, { ...init, headers }));
}

describe("publishing", () => {
  it("creates a draft, uploads its files into R2 and publishes it", async () => {
    const { release, files } = await draft("1.0.0");
    expect(release).toMatchObject({ status: "draft", channel: "stable", version: "1.0.0" });
    expect(release.files.every((file) => !file.uploaded)).toBe(true);
    const [first] = files;
    if (!first) throw new Error("no files");
    const uploaded = await upload(release.id, first.name, first.bytes);
    expect(await json(uploaded)).toMatchObject({ file: { name: first.name, uploaded: true } });
    const stored = await env.ARTIFACTS.get(`releases/${release.id}/${first.name}`);
    expect(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(first.bytes);

    const early = await callAsOperator(`/api/admin/releases/${release.id}/publish`, { body: {} });
    await expectError(early, 409, "UPLOAD_INCOMPLETE");
    for (const file of files.slice(1)) await upload(release.id, file.name, file.bytes);
    const published = await callAsOperator(`/api/admin/releases/${release.id}/publish`, {
      body: { rollout: { percent: 25, ramp_hours: 48 } },
    });
    expect((await json<{ release: Release }>(published)).release).toMatchObject({
      status: "published",
      rollout: { state: "active", percent: 25, ramp_hours: 48 },
    });
    await expectError(
      await callAsOperator(`/api/admin/releases/${release.id}/publish`, { body: {} }),
      409,
      "RELEASE_STATE_CONFLICT",
    );
    // A published release takes no more bytes.
    await expectError(await upload(release.id, first.name, first.bytes), 409, "RELEASE_STATE_CONFLICT");
    const listed = await json<{ releases: Release[] }>(
      await callAsOperator("/api/admin/releases?channel=stable&version=1.0.0"),
    );
    expect(listed.releases.map((r) => r.id)).toEqual([release.id]);
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT action FROM audit_logs WHERE target_id = ? ORDER BY id",
    )
      .bind(release.id)
      .all<{ action: string }>();
    expect(audit.results.map((row) => row.action)).toEqual(["release.created", "release.published"]);
  });

  it("refuses bytes that do not match the declared sha512 and stores nothing", async () => {
    const { release, files } = await draft("1.0.1");
    const [first] = files;
    if (!first) throw new Error("no files");
    const tampered = first.bytes.slice();
    tampered[10] = (tampered[10] ?? 0) ^ 0xff;
    await expectError(await upload(release.id, first.name, tampered), 422, "CHECKSUM_MISMATCH");
    expect(await objectKeys()).toEqual([]);
    const after = await json<{ release: Release }>(await callAsOperator(`/api/admin/releases/${release.id}`));
    expect(after.release.files.find((file) => file.name === first.name)?.uploaded).toBe(false);
    // The right bytes are still accepted afterwards.
    expect((await upload(release.id, first.name, first.bytes)).status).toBe(200);
  });

  it("refuses undeclared files, wrong sizes and missing lengths", async () => {
    const { release, files } = await draft("1.0.2");
    const [first] = files;
    if (!first) throw new Error("no files");
    await expectError(await upload(release.id, "Other.exe", first.bytes), 404, "FILE_NOT_FOUND");
    await expectError(
      await upload(release.id, first.name, first.bytes.subarray(1)),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(await upload("no-such-release", first.name, first.bytes), 404, "RELEASE_NOT_FOUND");
    await expectError(await upload(release.id, "..%2F..%2Fescape", first.bytes), 400, "VALIDATION_FAILED");
    const chunked = await operatorFetch(`/api/admin/releases/${release.id}/files/${first.name}`, {
      method: "PUT",
      // A stream of unknown length goes out chunked, without Content-Length.
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(first.bytes);
          controller.close();
        },
      }),
    });
    await expectError(chunked, 411, "LENGTH_REQUIRED");
  });

  it("uploads large files in parts, verifying the whole file's sha512 at the end", async () => {
    const partSize = 16 * 1024 * 1024;
    const bytes = bytesOf(partSize + 1234, 5);
    const files = [{ name: "Nexus-Setup-1.0.3.exe", platform: "win" as const, bytes }];
    const { release } = await draft("1.0.3", files);
    const base = `/api/admin/releases/${release.id}/files/Nexus-Setup-1.0.3.exe/multipart`;
    const started = await json<{ upload_id: string; part_size: number }>(
      await operatorFetch(base, { method: "POST" }),
    );
    expect(started.part_size).toBe(partSize);
    const parts = [];
    for (const [index, chunk] of [bytes.subarray(0, partSize), bytes.subarray(partSize)].entries()) {
      const response = await operatorFetch(`${base}/${encodeURIComponent(started.upload_id)}/${index + 1}`, {
        method: "PUT",
        headers: { "content-length": String(chunk.byteLength) },
        body: chunk,
      });
      expect(response.status, await response.clone().text()).toBe(200);
      parts.push(await json<{ part_number: number; etag: string }>(response));
    }
    const completed = await operatorFetch(`${base}/${encodeURIComponent(started.upload_id)}/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ parts: parts.map(({ part_number, etag }) => ({ part_number, etag })) }),
    });
    expect(await json(completed)).toMatchObject({ file: { uploaded: true, size: bytes.byteLength } });
    const stored = await env.ARTIFACTS.head(`releases/${release.id}/Nexus-Setup-1.0.3.exe`);
    expect(stored?.size).toBe(bytes.byteLength);
    await expectError(
      await operatorFetch(`${base}/not-an-upload/complete`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ parts: [{ part_number: 1, etag: "x" }] }),
      }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("deletes a multipart upload whose assembled bytes do not match", async () => {
    const declared = bytesOf(6 * 1024 * 1024, 8);
    const { release } = await draft("1.0.4", [{ name: "big.exe", platform: "win", bytes: declared }]);
    const base = `/api/admin/releases/${release.id}/files/big.exe/multipart`;
    const { upload_id } = await json<{ upload_id: string }>(await operatorFetch(base, { method: "POST" }));
    const wrong = bytesOf(declared.byteLength, 9);
    const part = await json<{ etag: string }>(
      await operatorFetch(`${base}/${encodeURIComponent(upload_id)}/1`, {
        method: "PUT",
        headers: { "content-length": String(wrong.byteLength) },
        body: wrong,
      }),
    );
    const completed = await operatorFetch(`${base}/${encodeURIComponent(upload_id)}/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ parts: [{ part_number: 1, etag: part.etag }] }),
    });
    await expectError(completed, 422, "CHECKSUM_MISMATCH");
    expect(await objectKeys()).toEqual([]);
  });

  it("validates releases: duplicates, unknown channels, bad versions and file names", async () => {
    await draft("1.1.0");
    const again = await callAsOperator("/api/admin/releases", {
      body: {
        channel: "stable",
        version: "1.1.0",
        files: await Promise.all(installersFor("1.1.0").map(declare)),
      },
    });
    await expectError(again, 409, "RELEASE_EXISTS");
    const file = await declare({ name: "a.exe", platform: "win", bytes: bytesOf(10) });
    const cases: [Record<string, unknown>, number, string][] = [
      [{ channel: "nightly", version: "1.0.0", files: [file] }, 404, "CHANNEL_NOT_FOUND"],
      [{ channel: "stable", version: "1.0", files: [file] }, 400, "VALIDATION_FAILED"],
      [
        { channel: "stable", version: "1.0.0", files: [{ ...file, name: "../x.exe" }] },
        400,
        "VALIDATION_FAILED",
      ],
      [
        { channel: "stable", version: "1.0.0", files: [{ ...file, sha512: "abc" }] },
        400,
        "VALIDATION_FAILED",
      ],
      [{ channel: "stable", version: "1.0.0", files: [file, file] }, 400, "VALIDATION_FAILED"],
      [{ channel: "stable", version: "1.0.0", files: [] }, 400, "VALIDATION_FAILED"],
    ];
    for (const [body, status, code] of cases) {
      await expectError(await callAsOperator("/api/admin/releases", { body }), status, code);
    }
  });

  it("edits a release's notes and mandatory flag", async () => {
    const release = await publishRelease("1.2.0");
    const edited = await callAsOperator(`/api/admin/releases/${release.id}`, {
      method: "PATCH",
      body: { notes: "Now with notes", mandatory: true },
    });
    expect((await json<{ release: Release }>(edited)).release).toMatchObject({
      notes: "Now with notes",
      mandatory: true,
    });
    await expectError(await callAsOperator("/api/admin/releases/nope"), 404, "RELEASE_NOT_FOUND");
  });
});

describe("channels", () => {
  it("lists the three starting channels and adds new ones below a parent", async () => {
    const listed = await json<{ channels: { name: string; parent: string | null }[] }>(
      await callAsOperator("/api/admin/channels"),
    );
    expect(listed.channels.map(({ name, parent }) => [name, parent])).toEqual([
      ["stable", null],
      ["beta", "stable"],
      ["alpha", "beta"],
    ]);
    const created = await callAsOperator("/api/admin/channels", {
      body: { name: "Insiders", parent: "beta" },
    });
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ channel: { name: "insiders", parent: "beta" } });
    await expectError(
      await callAsOperator("/api/admin/channels", { body: { name: "insiders" } }),
      409,
      "CHANNEL_EXISTS",
    );
    for (const name of ["latest", "has-hyphen", "9lives", ""]) {
      await expectError(
        await callAsOperator("/api/admin/channels", { body: { name } }),
        400,
        "VALIDATION_FAILED",
      );
    }
    await expectError(
      await callAsOperator("/api/admin/channels", { body: { name: "orphan", parent: "nope" } }),
      404,
      "CHANNEL_NOT_FOUND",
    );
    const unknownChannel = await callAsOperator(
      `/api/admin/companies/${(await registerCompany()).company_id}`,
      {
        method: "PATCH",
        body: { update_channel: "nope" },
      },
    );
    await expectError(unknownChannel, 404, "CHANNEL_NOT_FOUND");
    // An insiders subscriber receives beta and stable releases.
    const company = await registerCompany();
    await callAsOperator(`/api/admin/companies/${company.company_id}`, {
      method: "PATCH",
      body: { update_channel: "insiders" },
    });
    const machine = await validatedMachine(company.company_code, "insider-pc");
    await publishRelease("5.0.0-beta.1", { channel: "beta", files: installersFor("5.0.0-beta.1", 3) });
    const response = await feed("insiders.yml", {
      companyCode: company.company_code,
      token: machine.installation.token,
    });
    expect(await response.text()).toContain('version: "5.0.0-beta.1"');
  });

  it("keeps operator routes closed without the operator credential", async () => {
    await expectError(await call("/api/admin/releases"), 401, "UNAUTHORIZED");
    await expectError(
      await call("/api/admin/channels", { body: { name: "x" }, token: "wrong" }),
      401,
      "UNAUTHORIZED",
    );
  });
});

describe("heartbeats and the seed's JSON check", () => {
  it("asks installations below the channel's minimum version to update", async () => {
    const company = await registerCompany();
    const machine = await validatedMachine(company.company_code, "old-pc");
    const beat = async () =>
      json<{ force_update: boolean }>(
        await call("/api/company/heartbeat", {
          token: machine.installation.token,
          body: { company_code: company.company_code, machine_id: "old-pc", app_version: "1.0.0" },
        }),
      );
    expect((await beat()).force_update).toBe(false);
    // A minimum version counts only once everyone receives the release.
    const release = await publishRelease("2.0.0", { minimum_version: "1.5.0", rollout: { percent: 10 } });
    expect((await beat()).force_update).toBe(false);
    await callAsOperator(`/api/admin/releases/${release.id}/rollout`, {
      body: { action: "set", percent: 100 },
    });
    // Publishing tells the company's hub after the response.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await beat()).force_update).toBe(true);
  });

  it("answers /api/updates/check with the release to run", async () => {
    const company = await registerCompany();
    const machine = await validatedMachine(company.company_code, "check-pc");
    const files = installersFor("1.3.0");
    await publishRelease("1.3.0", { files, mandatory: true, notes: "Notes" });
    const auth = { companyCode: company.company_code, token: machine.installation.token };
    const check = await json<Record<string, unknown>>(await feed("check?version=1.2.0&channel=stable", auth));
    expect(check).toMatchObject({
      success: true,
      update_available: true,
      version: "1.3.0",
      releaseName: "Nexus 1.3.0",
      releaseNotes: "Notes",
      mandatory: true,
      sha512: await sha512Base64(files[0]?.bytes ?? new Uint8Array()),
    });
    expect(String(check.url)).toBe(
      `${BASE_URL}/api/updates/download/Nexus-Setup-1.3.0.exe?company_code=${company.company_code}`,
    );
    const current = await json<Record<string, unknown>>(
      await feed("check?version=1.3.0&channel=latest", auth),
    );
    expect(current.update_available).toBe(false);
    await expectError(await feed("check?version=1.3.0&channel=beta", auth), 403, "CHANNEL_NOT_ALLOWED");
  });
});
