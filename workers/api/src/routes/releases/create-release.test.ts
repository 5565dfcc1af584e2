import { describe, it } from "vitest";
import { callAsOperator, expectError } from "../../../test/helpers.ts";
import { bytesOf, declare, installersFor } from "../../../test/releases.ts";
import { draft } from "./fixtures.ts";

describe("creating releases", () => {
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
});
