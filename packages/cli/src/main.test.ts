// One end-to-end check that the entry point runs under plain Node (type stripping, .ts imports).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./testing/test-helpers.ts";

const node = join(REPO_ROOT, "node_modules/.bin/node");
const exec = promisify(execFile);

describe("node packages/cli/src/main.ts", () => {
  it("prints the usage for `help`", async () => {
    const { stdout } = await exec(node, ["packages/cli/src/main.ts", "help"], { cwd: REPO_ROOT });
    expect(stdout).toContain("tenants pool status");
    expect(stdout).toContain("tenants pool add <N>");
    expect(stdout).toContain("release publish <dir>");
    expect(stdout).toContain("secrets generate");
  });

  it("exits 2 on an unknown command", async () => {
    const failure = await exec(node, ["packages/cli/src/main.ts", "tenants", "nope"], {
      cwd: REPO_ROOT,
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "tenants nope"'),
    });
  });
});
