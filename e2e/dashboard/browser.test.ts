// The order in which the browser tests find a Chromium (browser.ts), on stand-in machines, and the
// once-only unpacking of the npm package's Chromium when several test files ask at the same time.
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ChromiumHost, resolveChromium, SYSTEM_CHROMIUM, unpackOnce } from "./browser.ts";

/** A machine with the given executables; records what resolveChromium asked of it. */
function host(options: {
  chromiumPath?: string;
  executables?: string[];
  bundled?: string;
  isRoot?: boolean;
  aptProvides?: boolean;
}) {
  const executables = new Set(options.executables ?? []);
  const calls: string[] = [];
  const machine: ChromiumHost = {
    chromiumPath: options.chromiumPath,
    isExecutable: (path) => executables.has(path),
    bundledChromium: async () => {
      calls.push("bundled");
      return options.bundled;
    },
    isRoot: options.isRoot ?? false,
    installDebianChromium: async () => {
      calls.push("apt");
      if (options.aptProvides) executables.add(SYSTEM_CHROMIUM);
    },
  };
  return { machine, calls };
}

describe("resolveChromium", () => {
  it("takes CHROMIUM_PATH first, over a system Chromium", async () => {
    const { machine, calls } = host({
      chromiumPath: "/opt/chrome",
      executables: ["/opt/chrome", SYSTEM_CHROMIUM],
    });
    expect(await resolveChromium(machine)).toEqual({
      executablePath: "/opt/chrome",
      source: "CHROMIUM_PATH",
    });
    expect(calls).toEqual([]);
  });

  it("refuses a CHROMIUM_PATH that is not executable rather than picking another browser", async () => {
    const { machine, calls } = host({ chromiumPath: "/opt/missing", executables: [SYSTEM_CHROMIUM] });
    await expect(resolveChromium(machine)).rejects.toThrow("CHROMIUM_PATH=/opt/missing");
    expect(calls).toEqual([]);
  });

  it("takes the system's /usr/bin/chromium next, without unpacking or installing anything", async () => {
    const { machine, calls } = host({ executables: [SYSTEM_CHROMIUM], isRoot: true });
    expect(await resolveChromium(machine)).toEqual({ executablePath: SYSTEM_CHROMIUM, source: "system" });
    expect(calls).toEqual([]);
  });

  it("then the npm package's Chromium, before apt-get even as root", async () => {
    const { machine, calls } = host({ bundled: "/cache/chromium", isRoot: true, aptProvides: true });
    expect(await resolveChromium(machine)).toEqual({
      executablePath: "/cache/chromium",
      source: "@sparticuz/chromium",
    });
    expect(calls).toEqual(["bundled"]);
  });

  it("installs Debian's chromium as root when the package's cannot run", async () => {
    const { machine, calls } = host({ isRoot: true, aptProvides: true });
    expect(await resolveChromium(machine)).toEqual({ executablePath: SYSTEM_CHROMIUM, source: "apt" });
    expect(calls).toEqual(["bundled", "apt"]);
  });

  it("fails with what to do when there is nothing to run and no root to install it", async () => {
    const { machine, calls } = host({ isRoot: false });
    await expect(resolveChromium(machine)).rejects.toThrow(/Set CHROMIUM_PATH.*apt-get install -y chromium/);
    expect(calls).toEqual(["bundled"]);
  });
});

describe("unpackOnce", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "nexus-unpack-once-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes an executable `chromium` slowly, counting how often it ran. */
  function slowFill() {
    let runs = 0;
    const fill = async (into: string) => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writeFile(join(into, "chromium"), "#!/bin/sh\n");
      await chmod(join(into, "chromium"), 0o755);
    };
    return { fill, runs: () => runs };
  }

  it("unpacks once for many concurrent callers, and not again later", async () => {
    const target = join(dir, "153.0.0");
    const { fill, runs } = slowFill();
    const results = await Promise.all(Array.from({ length: 5 }, () => unpackOnce(target, fill)));
    expect(results).toEqual(Array(5).fill(target));
    expect(runs()).toBe(1);
    await unpackOnce(target, fill);
    expect(runs()).toBe(1);
    // No lock or staging folder is left beside it.
    expect(await readdir(dir)).toEqual(["153.0.0"]);
  });

  it("takes over a lock left by a process that died, and leaves nothing of a failed unpack", async () => {
    const target = join(dir, "153.0.0");
    // A pid far above any real one: kill(pid, 0) answers ESRCH.
    await writeFile(`${target}.lock`, "2147483646");
    const failing = async () => {
      throw new Error("disk full");
    };
    await expect(unpackOnce(target, failing)).rejects.toThrow("disk full");
    expect(await readdir(dir)).toEqual([]);
    const { fill, runs } = slowFill();
    expect(await unpackOnce(target, fill)).toBe(target);
    expect(runs()).toBe(1);
    expect(existsSync(join(target, "chromium"))).toBe(true);
  });
});
