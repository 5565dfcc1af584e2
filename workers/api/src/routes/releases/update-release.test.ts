import type { Release } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { publishRelease } from "../../../test/releases.ts";

describe("editing releases", () => {
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
