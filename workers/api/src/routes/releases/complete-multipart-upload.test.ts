import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { bytesOf } from "../../../test/releases.ts";
import { draft, objectKeys, operatorFetch } from "./fixtures.ts";

describe("multipart uploads", () => {
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
});
