import type { Release } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { draft } from "./fixtures.ts";

describe("reading a release", () => {
  it("answers with its files in declaration order and its rollout, to operators only", async () => {
    const { release, files } = await draft("1.4.0");
    const read = await json<{ release: Release }>(await callAsOperator(`/api/admin/releases/${release.id}`));
    expect(read.release).toMatchObject({ id: release.id, version: "1.4.0", status: "draft" });
    expect(read.release.files.map((file) => file.name)).toEqual(files.map((file) => file.name));
    expect(read.release.rollout.effective_percent).toBe(0);
    await expectError(await callAsOperator("/api/admin/releases/nope"), 404, "RELEASE_NOT_FOUND");
    await expectError(await call(`/api/admin/releases/${release.id}`), 401, "UNAUTHORIZED");
  });
});
