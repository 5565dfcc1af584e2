import type { Release } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { bytesOf, feed, installersFor, publishRelease } from "../../../test/releases.ts";
import { channelFile, joined } from "../updates/fixtures.ts";

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
