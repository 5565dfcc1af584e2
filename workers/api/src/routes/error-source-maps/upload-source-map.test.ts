import { env } from "cloudflare:workers";
import type { SourceMap } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { adminToken, callAsOperator, callRaw, expectError, json } from "../../../test/helpers.ts";
import { as, errorProject, errorsCompany } from "../error-issues/fixtures.ts";

const encode = (value: unknown) =>
  new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
const map = { version: 3, file: "main.js", sources: ["../src/main.ts"], names: [], mappings: "AAAA;AACA" };

async function sha256(bytes: Uint8Array) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** An API key of the company with errors:manage, as the CLI uses. */
async function errorsKey(companyId: string) {
  const response = await callAsOperator(`/api/admin/companies/${companyId}/api-keys`, {
    body: { name: "ci", permissions: { errors: ["read", "manage"] } },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json<{ key: string }>(response)).key;
}

describe("uploading a source map", () => {
  it("stores the bytes under hashed release and name, and the row the consumer looks up by ~/path", async () => {
    const { companyId, base } = await errorsCompany("sm-upload");
    const project = await errorProject(companyId);
    const key = await errorsKey(companyId);
    const path = `${base}/error-projects/${project.id}/source-maps`;
    const bytes = encode(map);
    const url = (name: string, release = "desktop@1.4.2") =>
      `${path}?release=${encodeURIComponent(release)}&name=${encodeURIComponent(name)}`;
    const response = await callRaw(url("https://cdn.example.com/dist/main.js?v=3"), {
      body: bytes,
      token: key,
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const { source_map } = await json<{ source_map: SourceMap }>(response);
    expect(source_map).toMatchObject({
      project_id: project.id,
      release: "desktop@1.4.2",
      name: "~/dist/main.js",
      size: bytes.byteLength,
      sha256: await sha256(bytes),
    });
    const listed = await json<{ source_maps: (SourceMap & { r2_key?: string })[] }>(
      await callAsOperator(`${path}?release=desktop@1.4.2`),
    );
    expect(listed.source_maps.map((m) => m.name)).toEqual(["~/dist/main.js"]);
    const objects = (await env.ERRORS.list({ prefix: `companies/${companyId}/errors/source-maps/` })).objects;
    expect(objects).toHaveLength(1);
    const objectKey = objects[0]?.key ?? "";
    expect(objectKey).toMatch(
      new RegExp(`^companies/${companyId}/errors/source-maps/${project.id}/[0-9a-f]{64}/[0-9a-f]{64}\\.map$`),
    );
    expect(objectKey).not.toContain("main.js");
    expect(await (await env.ERRORS.get(objectKey))?.json()).toEqual(map);

    // app:///dist/main.js is the same file: sending it again replaces the map, not adds one.
    const changed = encode({ ...map, mappings: "AAAA" });
    expect((await callRaw(url("app:///dist/main.js"), { body: changed, token: key })).status).toBe(200);
    const after = await json<{ source_maps: SourceMap[] }>(await callAsOperator(path));
    expect(after.source_maps).toHaveLength(1);
    expect(after.source_maps[0]?.sha256).toBe(await sha256(changed));
    expect((await env.ERRORS.list({ prefix: `companies/${companyId}/` })).objects).toHaveLength(1);

    // The anti-XSSI prefix the spec allows is dropped before storing.
    const prefixed = encode(`)]}'\n${JSON.stringify(map)}`);
    const stored = await callRaw(url("~/dist/other.js"), { body: prefixed, token: key });
    expect((await json<{ source_map: SourceMap }>(stored)).source_map.size).toBe(bytes.byteLength);
  });

  it("refuses what is not a source map v3, bodies without a length or too large, and bad names", async () => {
    const { companyId, base } = await errorsCompany("sm-upload-bad");
    const project = await errorProject(companyId);
    const path = `${base}/error-projects/${project.id}/source-maps?release=r1`;
    const put = (body: Uint8Array | ReadableStream, name = "~/main.js", length?: number) =>
      callRaw(`${path}&name=${encodeURIComponent(name)}`, { body, token: adminToken(), length });
    for (const bad of [
      "not json",
      "[1,2]",
      { ...map, version: 2 },
      { ...map, mappings: undefined },
      { ...map, sources: undefined },
    ]) {
      const error = await expectError(await put(encode(bad)), 400, "VALIDATION_FAILED");
      expect(error.message).toContain("source map");
    }
    await expectError(await put(new Uint8Array([0xff, 0xfe, 0x00])), 400, "VALIDATION_FAILED");
    await expectError(await put(encode(map), "https://cdn.example.com"), 400, "VALIDATION_FAILED");
    await expectError(await put(encode(map), "~/"), 400, "VALIDATION_FAILED");
    await expectError(
      await callRaw(`${base}/error-projects/${project.id}/source-maps?name=~/main.js`, {
        body: encode(map),
        token: adminToken(),
      }),
      400,
      "VALIDATION_FAILED",
    );
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(encode(map));
        controller.close();
      },
    });
    await expectError(await put(stream), 411, "LENGTH_REQUIRED");
    const big = await expectError(
      await put(encode(map), "~/main.js", 21 * 1024 * 1024),
      413,
      "PAYLOAD_TOO_LARGE",
    );
    expect(big.message).toContain("source map");
    expect((await env.ERRORS.list({ prefix: `companies/${companyId}/` })).objects).toHaveLength(0);
  });

  it("answers 404 for another company's project and 403 to a member", async () => {
    const { companyId, base, member } = await errorsCompany("sm-upload-refused", { member: true });
    const project = await errorProject(companyId);
    const victim = await errorsCompany("sm-upload-victim");
    const theirs = await errorProject(victim.companyId);
    // The attack: uploading a map into the victim's project through the attacker's own company.
    await expectError(
      await callRaw(`${base}/error-projects/${theirs.id}/source-maps?release=r&name=~/a.js`, {
        body: encode(map),
        token: adminToken(),
      }),
      404,
      "ERROR_PROJECT_NOT_FOUND",
    );
    await expectError(
      await as(member, `${base}/error-projects/${project.id}/source-maps?release=r&name=~/a.js`, {
        method: "PUT",
        body: JSON.stringify(map),
      }),
      403,
      "FORBIDDEN",
    );
    expect((await env.ERRORS.list({ prefix: `companies/${victim.companyId}/` })).objects).toHaveLength(0);
  });
});
