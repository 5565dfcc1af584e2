import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  descendantsNamed,
  parseRssParts,
  parseStat,
  parseVmRss,
  residentMemoryOf,
  residentOf,
} from "./workerd-memory.ts";

describe("workerd memory", () => {
  it("parses /proc stat lines, also with spaces and parentheses in the command", () => {
    expect(parseStat("4242 (workerd) S 4200 4242 4200 0 -1")).toEqual({
      pid: 4242,
      ppid: 4200,
      command: "workerd",
    });
    expect(parseStat("17 (a (b) c) R 1 17 17")).toEqual({ pid: 17, ppid: 1, command: "a (b) c" });
    expect(parseStat("garbage")).toBeNull();
  });

  it("reads VmRSS in bytes", () => {
    expect(parseVmRss("Name:\tworkerd\nVmPeak:\t  900 kB\nVmRSS:\t  312456 kB\nThreads:\t9\n")).toBe(
      312456 * 1024,
    );
    expect(parseVmRss("Name:\tzombie\nState:\tZ\n")).toBeNull();
  });

  it("splits the resident set into anonymous, file and shared memory, in bytes", () => {
    const status =
      "Name:\tworkerd\nVmRSS:\t  312456 kB\nRssAnon:\t  250000 kB\nRssFile:\t   62000 kB\nRssShmem:\t     456 kB\n";
    expect(parseRssParts(status)).toEqual({ anon: 250000 * 1024, file: 62000 * 1024, shmem: 456 * 1024 });
    expect(parseRssParts("Name:\tzombie\nState:\tZ\n")).toBeNull();
  });

  it("finds workerd among the descendants only, at any depth", () => {
    const entries = [
      { pid: 10, ppid: 1, command: "node" },
      { pid: 11, ppid: 10, command: "workerd" },
      { pid: 12, ppid: 10, command: "sh" },
      { pid: 13, ppid: 12, command: "workerd" },
      // Another bench's workerd, not ours.
      { pid: 20, ppid: 1, command: "workerd" },
    ];
    expect(descendantsNamed(entries, 10, "workerd").sort()).toEqual([11, 13]);
  });

  it("finds a child process in this machine's /proc and reads its resident memory", async () => {
    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      await new Promise((resolve) => child.once("spawn", resolve));
      const resident = residentOf(process.pid, "sleep");
      expect(resident.pids).toContain(child.pid);
      expect(resident.rssBytes).toBeGreaterThan(0);
      expect(residentOf(process.pid, "no-such-command")).toEqual({ pids: [], rssBytes: 0 });
      const split = residentMemoryOf(process.pid, "sleep");
      expect(split.anonBytes).toBeGreaterThan(0);
      expect(split.fileBytes).toBeGreaterThan(0);
      // The kernel's parts (shared memory aside) add up to the resident set.
      expect(split.anonBytes + split.fileBytes).toBeLessThanOrEqual(split.rssBytes);
    } finally {
      child.kill();
    }
  });
});
