// The CLI's own options: --version, --json, help for one command, and unknown flags named plainly.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { USAGE } from "./cli.ts";
import { type NexusApiStandIn, startNexusApiStandIn } from "./testing/nexus-api-stand-in.ts";
import { REPO_ROOT, runCli, usageErrorOf } from "./testing/test-helpers.ts";

const deps = { env: {}, cwd: "/" };
const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "packages/cli/package.json"), "utf8")) as {
  version: string;
};

let api: NexusApiStandIn | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe("nexus --version", () => {
  it("prints the package's version, alone or with -v", async () => {
    for (const flag of ["--version", "-v"]) {
      expect(await runCli([flag], deps)).toEqual({ code: 0, stdout: `nexus ${version}\n`, stderr: "" });
    }
  });

  it("prints it as JSON with --json", async () => {
    const result = await runCli(["--version", "--json"], deps);
    expect(JSON.parse(result.stdout)).toEqual({ version });
  });
});

describe("help for one command", () => {
  it("`<command> --help` and `help <command>` show that command's options only", async () => {
    for (const argv of [
      ["release", "publish", "--help"],
      ["help", "release", "publish"],
    ]) {
      const { code, stdout } = await runCli(argv, deps);
      expect(code).toBe(0);
      expect(stdout).toContain("Usage: nexus release publish [options]");
      expect(stdout).toContain("--ramp-hours <h>");
      expect(stdout).not.toContain("tenants pool add");
      expect(stdout).not.toContain("--recursive");
    }
  });

  it("has a section for every command, which the full usage also shows", async () => {
    for (const argv of [
      ["tenants", "pool", "status"],
      ["tenants", "pool", "add"],
      ["documents", "upload"],
      ["sourcemaps", "upload"],
      ["admin", "create"],
      ["secrets", "generate"],
    ]) {
      const { stdout } = await runCli([...argv, "-h"], deps);
      const section = stdout.split("\n\n")[1] ?? "";
      expect(section.trimStart().startsWith(argv.join(" "))).toBe(true);
      expect(USAGE).toContain(section.trimEnd());
    }
  });

  it("refuses help for a command that does not exist", async () => {
    expect(await usageErrorOf(["help", "tenants", "nope"], deps)).toContain('no command "tenants nope"');
  });
});

describe("unknown flags", () => {
  it("names the flag", async () => {
    const stderr = await usageErrorOf(["tenants", "pool", "status", "--frob"], deps);
    expect(stderr).toBe("error: unknown flag --frob\nRun `nexus help` for usage.\n");
  });

  it("names a flag the command does not take", async () => {
    const stderr = await usageErrorOf(["secrets", "generate", "--url", "http://x"], deps);
    expect(stderr).toContain("secrets generate does not take --url");
  });

  it("with --json, reports the error as JSON on stderr", async () => {
    const stderr = await usageErrorOf(["secrets", "generate", "--json", "--frob"], deps);
    expect(JSON.parse(stderr)).toEqual({
      error: { kind: "usage", message: "unknown flag --frob", exit_code: 2 },
    });
  });
});

describe("--json output", () => {
  it("secrets generate prints the secrets as one object", async () => {
    const { code, stdout } = await runCli(["secrets", "generate", "--json"], deps);
    expect(code).toBe(0);
    expect(Object.keys(JSON.parse(stdout)).sort()).toEqual([
      "BETTER_AUTH_SECRET",
      "ENCRYPTION_KEYS",
      "JWT_SIGNING_KEYS",
      "NEXUS_ADMIN_SECRET",
    ]);
  });

  it("tenants pool status prints the API's answer", async () => {
    const poolStatus = {
      success: true as const,
      bindings: 1,
      free: 1,
      reserved: 0,
      assigned: 0,
      databases: [],
    };
    api = await startNexusApiStandIn({ adminSecret: "operator-secret-operator-secret-00", poolStatus });
    const { code, stdout } = await runCli(
      [
        "tenants",
        "pool",
        "status",
        "--json",
        "--url",
        api.url,
        "--admin-secret",
        "operator-secret-operator-secret-00",
      ],
      deps,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(poolStatus);
  });

  it("is refused by a command that has no JSON output yet", async () => {
    const stderr = await usageErrorOf(["release", "publish", "dir", "--channel", "stable", "--json"], deps);
    expect(stderr).toContain("does not take --json");
  });
});
