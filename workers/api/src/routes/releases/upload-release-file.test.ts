import type { Release } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { upload } from "../../../test/releases.ts";
import { draft, objectKeys, operatorFetch } from "./fixtures.ts";

describe("uploading a release file", () => {
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
});
