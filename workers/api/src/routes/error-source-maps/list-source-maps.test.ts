import type { SourceMap } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { adminToken, callRaw, expectError, json } from "../../../test/helpers.ts";
import { as, errorProject, errorsCompany } from "../error-issues/fixtures.ts";

const body = new TextEncoder().encode(JSON.stringify({ version: 3, sources: [], mappings: "" }));

describe("listing source maps", () => {
  it("lists a project's maps, of one release or all, to members too", async () => {
    const { companyId, base, member } = await errorsCompany("sm-list", { member: true });
    const project = await errorProject(companyId);
    const other = await errorProject(companyId, { name: "Other" });
    const path = (id: number) => `${base}/error-projects/${id}/source-maps`;
    for (const [id, release, name] of [
      [project.id, "1.0.0", "~/a.js"],
      [project.id, "1.0.0", "~/b.js"],
      [project.id, "1.1.0", "~/a.js"],
      [other.id, "1.0.0", "~/a.js"],
    ] as const) {
      const response = await callRaw(`${path(id)}?release=${release}&name=${name}`, {
        body,
        token: adminToken(),
      });
      expect(response.status, await response.clone().text()).toBe(200);
    }
    const list = async (query: string) => {
      const response = await as(member, `${path(project.id)}${query}`);
      expect(response.status, await response.clone().text()).toBe(200);
      return json<{ source_maps: SourceMap[]; truncated: boolean }>(response);
    };
    const all = await list("");
    expect(all.truncated).toBe(false);
    expect(all.source_maps.map((m) => `${m.release} ${m.name}`).sort()).toEqual([
      "1.0.0 ~/a.js",
      "1.0.0 ~/b.js",
      "1.1.0 ~/a.js",
    ]);
    expect((await list("?release=1.1.0")).source_maps.map((m) => m.name)).toEqual(["~/a.js"]);
    expect((await list("?release=2.0.0")).source_maps).toEqual([]);
  });

  it("answers 404 for another company's project", async () => {
    const { base } = await errorsCompany("sm-list-attacker");
    const victim = await errorsCompany("sm-list-victim");
    const theirs = await errorProject(victim.companyId);
    await expectError(
      await as(undefined, `${base}/error-projects/${theirs.id}/source-maps`),
      404,
      "ERROR_PROJECT_NOT_FOUND",
    );
  });
});
