import { describe, expect, it } from "vitest";
import { call, expectError, json } from "../../../test/helpers.ts";
import { publishRelease } from "../../../test/releases.ts";
import { draft, operatorFetch } from "./fixtures.ts";

describe("starting a multipart upload", () => {
  it("hands out an upload id and the part size for declared files of drafts only", async () => {
    const { release, files } = await draft("1.5.0");
    const name = files[0]?.name ?? "";
    const started = await operatorFetch(`/api/admin/releases/${release.id}/files/${name}/multipart`, {
      method: "POST",
    });
    expect(started.status).toBe(201);
    const body = await json<{ upload_id: string; part_size: number }>(started);
    expect(body.upload_id).not.toBe("");
    expect(body.part_size).toBe(16 * 1024 * 1024);

    await expectError(
      await operatorFetch(`/api/admin/releases/${release.id}/files/Other.exe/multipart`, { method: "POST" }),
      404,
      "FILE_NOT_FOUND",
    );
    const published = await publishRelease("1.6.0");
    await expectError(
      await operatorFetch(`/api/admin/releases/${published.id}/files/Nexus-Setup-1.6.0.exe/multipart`, {
        method: "POST",
      }),
      409,
      "RELEASE_STATE_CONFLICT",
    );
    await expectError(
      await call(`/api/admin/releases/${release.id}/files/${name}/multipart`, { method: "POST" }),
      401,
      "UNAUTHORIZED",
    );
  });
});
