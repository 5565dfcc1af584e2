import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { bytesOf } from "../../../test/releases.ts";
import { draft, operatorFetch } from "./fixtures.ts";

describe("uploading a part", () => {
  it("takes parts of exactly the part size (the last one the rest), and no part past the end", async () => {
    const bytes = bytesOf(6 * 1024 * 1024, 3);
    const { release } = await draft("1.7.0", [{ name: "part.exe", platform: "win", bytes }]);
    const base = `/api/admin/releases/${release.id}/files/part.exe/multipart`;
    const { upload_id } = await json<{ upload_id: string }>(await operatorFetch(base, { method: "POST" }));
    const put = (partNumber: number, chunk: Uint8Array) =>
      operatorFetch(`${base}/${encodeURIComponent(upload_id)}/${partNumber}`, {
        method: "PUT",
        headers: { "content-length": String(chunk.byteLength) },
        body: chunk,
      });
    // One part of 6 MiB: there is no part 2, and part 1 must be the whole file.
    await expectError(await put(2, bytes.subarray(0, 10)), 400, "VALIDATION_FAILED");
    await expectError(await put(1, bytes.subarray(1)), 400, "VALIDATION_FAILED");
    await expectError(await put(0, bytes), 400, "VALIDATION_FAILED");
    const stored = await put(1, bytes);
    expect(stored.status, await stored.clone().text()).toBe(200);
    expect(await json(stored)).toMatchObject({ part_number: 1, etag: expect.any(String) });
  });
});
