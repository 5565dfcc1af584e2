import type { Release } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { installersFor, publishRelease } from "../../../test/releases.ts";
import { draft } from "./fixtures.ts";

interface Listed {
  releases: Release[];
  next_cursor: string | null;
}

describe("listing releases", () => {
  it("pages newest first and filters by channel, version and status", async () => {
    const first = await draft("1.0.0");
    const second = await publishRelease("1.1.0", { files: installersFor("1.1.0", 81) });
    const beta = await publishRelease("1.2.0-beta.1", {
      channel: "beta",
      files: installersFor("1.2.0-beta.1", 82),
    });
    const list = async (query: string) => json<Listed>(await callAsOperator(`/api/admin/releases${query}`));

    const page1 = await list("?limit=2");
    expect(page1.releases.map((release) => release.id)).toEqual([beta.id, second.id]);
    expect(page1.releases[0]?.files).toHaveLength(4);
    expect(page1.next_cursor).toBe(second.id);
    const page2 = await list(`?limit=2&cursor=${page1.next_cursor}`);
    expect(page2.releases.map((release) => release.id)).toEqual([first.release.id]);
    expect(page2.next_cursor).toBeNull();

    expect((await list("?channel=beta")).releases.map((r) => r.id)).toEqual([beta.id]);
    expect((await list("?status=draft")).releases.map((r) => r.id)).toEqual([first.release.id]);
    expect((await list("?channel=stable&version=1.1.0")).releases.map((r) => r.id)).toEqual([second.id]);
    await expectError(await callAsOperator("/api/admin/releases?status=gone"), 400, "VALIDATION_FAILED");
    await expectError(await call("/api/admin/releases?limit=2"), 401, "UNAUTHORIZED");
  });
});
