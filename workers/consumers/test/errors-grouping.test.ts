import { describe, expect, it } from "vitest";
import {
  describeIssue,
  fingerprintOf,
  groupingComponents,
  normaliseFilename,
  normaliseMessage,
} from "../src/errors/grouping.ts";
import { exceptionEvent } from "./errors-helpers.ts";

const frame = (fn: string, file: string, line: number, inApp: boolean | null = true) => ({
  function: fn,
  filename: file,
  abs_path: file,
  lineno: line,
  colno: 3,
  in_app: inApp,
});

describe("error grouping", () => {
  it("normalises file names: scheme, host, query, content hashes and the install folder go", () => {
    expect(normaliseFilename("https://cdn.example.com/static/main.a1b2c3d4e5.js?v=3#x")).toBe(
      "/static/main.js",
    );
    expect(normaliseFilename("app:///dist/index-1f2e3d4c.js")).toBe("/dist/index.js");
    expect(
      normaliseFilename("file:///C:/Users/bob/AppData/Local/Programs/nexus/resources/app.asar/dist/main.js"),
    ).toBe("dist/main.js");
    expect(normaliseFilename("/home/alice/nexus/resources/app.asar/dist/main.js")).toBe("dist/main.js");
  });

  it("takes the variable parts out of messages", () => {
    expect(
      normaliseMessage(
        "User 42 (bob@example.com) lost order 3f2b8c1e-9a7d-4e21-8c3b-0a5d6e7f8091 at 0x7ffe12 after 1.5 s; hash deadbeef42",
      ),
    ).toBe("User <n> (<email>) lost order <uuid> at <hex> after <n> s; hash <hex>");
  });

  it("groups exceptions by type and the innermost five in-app frames, not by line numbers or values", async () => {
    const a = exceptionEvent("TypeError", "x is not a function");
    const b = exceptionEvent("TypeError", "y is not a function");
    const [aException] = a.exceptions;
    const [bException] = b.exceptions;
    if (!aException || !bException) throw new Error("fixture");
    aException.frames = [frame("outer", "app:///a.js", 1), frame("inner", "app:///b.js", 10)];
    bException.frames = [frame("outer", "app:///a.js", 99), frame("inner", "app:///b.js", 77)];
    expect(await fingerprintOf(a)).toBe(await fingerprintOf(b));
    expect(await fingerprintOf(a)).toMatch(/^[0-9a-f]{32}$/);

    // Another function, another type: another issue.
    bException.frames = [frame("outer", "app:///a.js", 1), frame("other", "app:///b.js", 10)];
    expect(await fingerprintOf(a)).not.toBe(await fingerprintOf(b));
    bException.frames = [frame("outer", "app:///a.js", 1), frame("inner", "app:///b.js", 10)];
    bException.type = "RangeError";
    expect(await fingerprintOf(a)).not.toBe(await fingerprintOf(b));
  });

  it("ignores library frames when there are in-app ones, and frames beyond the innermost five", async () => {
    const base = [1, 2, 3, 4, 5, 6].map((i) => frame(`f${i}`, "app:///app.js", i));
    const a = exceptionEvent("Error", "boom");
    const b = exceptionEvent("Error", "boom");
    const [aException] = a.exceptions;
    const [bException] = b.exceptions;
    if (!aException || !bException) throw new Error("fixture");
    aException.frames = [frame("lib", "node_modules/x.js", 1, false), ...base];
    bException.frames = [frame("zzz", "app:///other.js", 1), ...base.slice(1)];
    // b's extra outer frame is the sixth from the top: outside the five that count.
    expect(groupingComponents(a)).toEqual(groupingComponents(b));
    expect(groupingComponents(a)).toHaveLength(2 + 5);
  });

  it("groups frameless exceptions by type and normalised value, and messages by normalised text", async () => {
    const a = exceptionEvent("Error", "timeout after 30 s");
    const b = exceptionEvent("Error", "timeout after 45 s");
    for (const event of [a, b]) for (const exception of event.exceptions) exception.frames = [];
    expect(await fingerprintOf(a)).toBe(await fingerprintOf(b));

    const m1 = { ...exceptionEvent("x", "y"), exceptions: [], message: "Disk 3 is 95% full" };
    const m2 = { ...m1, message: "Disk 7 is 99% full" };
    const m3 = { ...m1, message: "Network down" };
    expect(await fingerprintOf(m1)).toBe(await fingerprintOf(m2));
    expect(await fingerprintOf(m1)).not.toBe(await fingerprintOf(m3));
  });

  it("uses the client's fingerprint, with {{ default }} standing for the default grouping", async () => {
    const a = exceptionEvent("TypeError", "a", { fingerprint: ["checkout-failure"] });
    const b = exceptionEvent("RangeError", "b", { fingerprint: ["checkout-failure"] });
    expect(await fingerprintOf(a)).toBe(await fingerprintOf(b));

    const c = exceptionEvent("TypeError", "a", { fingerprint: ["{{ default }}", "tenant-1"] });
    const d = exceptionEvent("TypeError", "a", { fingerprint: ["{{default}}", "tenant-2"] });
    const e = exceptionEvent("TypeError", "a", { fingerprint: ["{{ default }}", "tenant-1"] });
    expect(await fingerprintOf(c)).not.toBe(await fingerprintOf(d));
    expect(await fingerprintOf(c)).toBe(await fingerprintOf(e));
    expect(groupingComponents(c)).toEqual([
      "custom",
      ...groupingComponents(exceptionEvent("TypeError", "z")).slice(1),
      "tenant-1",
    ]);
    // A custom fingerprint never collides with the default grouping of the same words.
    expect(await fingerprintOf(exceptionEvent("TypeError", "a"))).not.toBe(await fingerprintOf(c));
  });

  it("titles and culprits read as in Sentry", () => {
    const event = exceptionEvent(
      "TypeError",
      "x is not a function\n    at foo",
      {},
      "fn",
      "https://example.com/app.js?v=1",
    );
    expect(describeIssue(event)).toEqual({
      title: "TypeError: x is not a function",
      culprit: "fn(~/app.js)",
      type: "TypeError",
    });
    const message = {
      ...event,
      exceptions: [],
      message: "Payment provider unreachable",
      transaction: "/checkout",
    };
    expect(describeIssue(message)).toEqual({
      title: "Payment provider unreachable",
      culprit: "/checkout",
      type: null,
    });
  });
});
