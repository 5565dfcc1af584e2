import { describe, expect, it } from "vitest";
import { isolateCache } from "./isolate-cache.ts";

describe("isolateCache", () => {
  it("shares one load within the TTL, loads again after it, and starts afresh when cleared", async () => {
    const cache = isolateCache<number>(1_000);
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([cache.get("k", load, 0), cache.get("k", load, 10)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    expect(await cache.get("k", load, 1_000)).toBe(1);
    expect(await cache.get("k", load, 1_001)).toBe(2);
    cache.clear();
    expect(await cache.get("k", load, 1_002)).toBe(3);
  });

  it("forgets a failed load at once", async () => {
    const cache = isolateCache<string>(60_000);
    await expect(cache.get("k", () => Promise.reject(new Error("down")), 0)).rejects.toThrow("down");
    expect(await cache.get("k", async () => "up", 1)).toBe("up");
  });

  it("holds at most maxEntries keys", async () => {
    const cache = isolateCache<string>(60_000, 2);
    let loads = 0;
    const load = async () => `load-${++loads}`;
    await cache.get("a", load, 0);
    await cache.get("b", load, 0);
    await cache.get("c", load, 0);
    // Making room for "c" dropped "a".
    expect(await cache.get("a", load, 0)).toBe("load-4");
  });
});
