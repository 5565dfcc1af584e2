import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminToken, callRaw, expectError, json } from "../../../test/helpers.ts";
import { as, errorProject, errorsCompany } from "../error-issues/fixtures.ts";

const body = new TextEncoder().encode(JSON.stringify({ version: 3, sources: [], mappings: "" }));

describe("deleting a source map", () => {
  it("removes the row and the bytes; a second delete is a 404", async () => {
    const { companyId, base, owner } = await errorsCompany("sm-delete");
    const project = await errorProject(companyId);
    const path = `${base}/error-projects/${project.id}/source-maps`;
    for (const name of ["~/a.js", "~/b.js"]) {
      expect(
        (await callRaw(`${path}?release=1.0.0&name=${name}`, { body, token: adminToken() })).status,
      ).toBe(200);
    }
    // Named by the URL form: it is normalised like the upload's.
    const url = `${path}?release=1.0.0&name=${encodeURIComponent("https://cdn.example.com/a.js")}`;
    const response = await as(owner, url, { method: "DELETE" });
    expect(response.status, await response.clone().text()).toBe(200);
    expect((await json<{ source_map: { name: string } }>(response)).source_map.name).toBe("~/a.js");
    const left = await json<{ source_maps: { name: string }[] }>(await as(owner, path));
    expect(left.source_maps.map((m) => m.name)).toEqual(["~/b.js"]);
    expect((await env.ERRORS.list({ prefix: `companies/${companyId}/` })).objects).toHaveLength(1);
    await expectError(await as(owner, url, { method: "DELETE" }), 404, "SOURCE_MAP_NOT_FOUND");
  });

  it("refuses members, and another company's project", async () => {
    const { companyId, base, member } = await errorsCompany("sm-delete-refused", { member: true });
    const project = await errorProject(companyId);
    const path = `${base}/error-projects/${project.id}/source-maps?release=1.0.0&name=~/a.js`;
    expect((await callRaw(path, { body, token: adminToken() })).status).toBe(200);
    await expectError(await as(member, path, { method: "DELETE" }), 403, "FORBIDDEN");
    const attacker = await errorsCompany("sm-delete-attacker");
    await expectError(
      await as(
        attacker.owner,
        `${attacker.base}/error-projects/${project.id}/source-maps?release=1.0.0&name=~/a.js`,
        { method: "DELETE" },
      ),
      404,
      "ERROR_PROJECT_NOT_FOUND",
    );
    await expectError(
      await as(undefined, `${base}/error-projects/${project.id}/source-maps?name=~/a.js`, {
        method: "DELETE",
      }),
      400,
      "VALIDATION_FAILED",
    );
    expect((await env.ERRORS.list({ prefix: `companies/${companyId}/` })).objects).toHaveLength(1);
  });
});
