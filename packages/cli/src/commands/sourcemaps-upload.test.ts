import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type SourceMapApiStandIn,
  type SourceMapApiStandInOptions,
  startSourceMapApiStandIn,
} from "../testing/source-map-api-stand-in.ts";
import { closedLocalUrl, runCli, testFolder, usageErrorOf } from "../testing/test-helpers.ts";

const API_KEY = "nxk_test_key_0000000000000000";
const COMPANY = "01JZCOMPANY0000000000000001";
const PROJECT = 42;
const map = (file: string) =>
  Buffer.from(
    JSON.stringify({ version: 3, file, sources: [`../src/${file}.ts`], names: [], mappings: "AAAA" }),
  );
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

const root = testFolder("sourcemaps-upload-");
let api: SourceMapApiStandIn | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function makeFolder(files: Record<string, Buffer | string>): Promise<string> {
  const dir = root.fresh("build");
  await mkdir(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

async function upload(
  args: string[],
  options: { env?: Record<string, string>; failNames?: SourceMapApiStandInOptions["failNames"] } = {},
) {
  api ??= await startSourceMapApiStandIn({
    credentials: [API_KEY],
    companyId: COMPANY,
    projectIds: [PROJECT],
    ...(options.failNames ? { failNames: options.failNames } : {}),
  });
  return runCli(["sourcemaps", "upload", ...args, "--url", api.url], {
    env: options.env ?? { NEXUS_API_KEY: API_KEY },
    cwd: root.path,
  });
}

const required = ["--company", COMPANY, "--project", String(PROJECT), "--release", "desktop@1.4.2"];

describe("sourcemaps upload", () => {
  it("uploads every map of the folder under its minified file's ~/path, with the API key, showing progress", async () => {
    const files = { "main.js.map": map("main.js"), "renderer/app.js.map": map("app.js") };
    const dir = await makeFolder({
      ...files,
      "main.js": "console.log(1)\n//# sourceMappingURL=main.js.map",
      ".cache/old.js.map": map("old.js"),
      "README.md": "not a map",
    });
    const result = await upload([dir, ...required]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect([...(api?.stored.keys() ?? [])].sort()).toEqual([
      "42 desktop@1.4.2 ~/main.js",
      "42 desktop@1.4.2 ~/renderer/app.js",
    ]);
    expect(
      api?.stored.get("42 desktop@1.4.2 ~/renderer/app.js")?.bytes.equals(files["renderer/app.js.map"]),
    ).toBe(true);
    expect(api?.requests.every((request) => request.authorization === `Bearer ${API_KEY}`)).toBe(true);
    expect(api?.requests.map((r) => r.contentLength)).toEqual([
      String(files["main.js.map"].length),
      String(files["renderer/app.js.map"].length),
    ]);
    expect(result.stderr).toContain("Uploading 2 source maps");
    expect(result.stderr).toContain("[1/2] main.js.map -> ~/main.js");
    expect(result.stderr).toContain(`100%`);
    expect(result.stderr).toContain(`sha256 ${sha256(files["main.js.map"]).slice(0, 12)}`);
    expect(result.stderr).toContain("uploaded  2 source maps");
  });

  it("puts --url-prefix in front of each path, whatever form it is given in", async () => {
    const dir = await makeFolder({ "js/app.js.map": map("app.js") });
    for (const prefix of ["~/static", "https://cdn.example.com/static/", "app:///static"]) {
      const result = await upload([dir, ...required, "--url-prefix", prefix]);
      expect(result.code, result.stderr).toBe(0);
    }
    expect([...(api?.stored.keys() ?? [])]).toEqual(["42 desktop@1.4.2 ~/static/js/app.js"]);
  });

  it("reports each map the API refuses with its reason, uploads the rest, and exits 1", async () => {
    const dir = await makeFolder({
      "a.js.map": map("a.js"),
      "b.js.map": "{ not json",
      "c.js.map": map("c.js"),
    });
    const result = await upload([dir, ...required]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "[2/3] b.js.map -> ~/b.js  refused: VALIDATION_FAILED: The body is not a source map",
    );
    expect(result.stderr).toContain("    - b.js.map: VALIDATION_FAILED");
    expect(result.stderr).toContain("error: 1 of 3 source maps were not uploaded (see above)");
    expect(api?.stored.size).toBe(2);
  });

  it("stops at a refusal every map would get, naming what was not attempted", async () => {
    const dir = await makeFolder({ "a.js.map": map("a.js"), "b.js.map": map("b.js") });
    const wrongProject = await upload([dir, ...required.slice(0, 2), "--project", "7", "--release", "r"]);
    expect(wrongProject.code).toBe(1);
    expect(wrongProject.stderr).toContain("uploading a.js.map failed: ERROR_PROJECT_NOT_FOUND");
    expect(wrongProject.stderr).toContain("not attempted: b.js.map");
    expect(api?.requests).toHaveLength(1);

    const badKey = await upload([dir, ...required], { env: { NEXUS_API_KEY: "nxk_wrong" } });
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain("UNAUTHORIZED");

    const down = await runCli(["sourcemaps", "upload", dir, ...required, "--url", await closedLocalUrl()], {
      env: { NEXUS_API_KEY: API_KEY },
      cwd: root.path,
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("could not reach the API");
  });

  it("stops on a server error instead of trying every map", async () => {
    const dir = await makeFolder({ "a.js.map": map("a.js"), "b.js.map": map("b.js") });
    const result = await upload([dir, ...required], { failNames: new Map([["~/a.js", "INTERNAL_ERROR"]]) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("uploading a.js.map failed: INTERNAL_ERROR");
    expect(api?.stored.size).toBe(0);
  });

  it("refuses bad command lines before any request", async () => {
    const dir = await makeFolder({ "a.js.map": map("a.js") });
    const deps = { env: { NEXUS_API_KEY: API_KEY }, cwd: root.path };
    const cases: [string[], string][] = [
      [[dir, "--project", "42", "--release", "r"], "needs --company"],
      [[dir, "--company", COMPANY, "--release", "r"], "needs --project"],
      [
        [dir, "--company", COMPANY, "--project", "abc", "--release", "r"],
        "--project must be the error project's numeric id",
      ],
      [[dir, "--company", COMPANY, "--project", "42"], "needs --release"],
      [[dir, ...required, "--url-prefix", "https://cdn.example.com/?x"], "--url-prefix"],
      [[dir, ...required, "--tag", "x"], "sourcemaps upload does not take --tag"],
      [[...required], "needs the build folder"],
    ];
    for (const [args, message] of cases) {
      expect(await usageErrorOf(["sourcemaps", "upload", ...args], deps)).toContain(message);
    }
    expect(
      await usageErrorOf(["sourcemaps", "upload", dir, ...required], { env: {}, cwd: root.path }),
    ).toContain("NEXUS_API_KEY");
    const empty = await makeFolder({ "a.js": "x" });
    const none = await runCli(
      ["sourcemaps", "upload", empty, ...required, "--url", "http://127.0.0.1:1"],
      deps,
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no source maps (*.map)");
  });
});
