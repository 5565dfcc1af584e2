import { describe, expect, it } from "vitest";
import { AGGREGATES_PER_ITEM, normalizeAggregates, normalizeSession } from "./sessions.ts";

const receivedAt = Date.UTC(2026, 0, 2);

describe("session items", () => {
  it("reads a session update as SDKs send it", () => {
    expect(
      normalizeSession(
        {
          sid: "7c7b6e4f0d8c4c1f9d3a2b1c0d9e8f7a",
          did: 42,
          init: true,
          started: "2026-01-01T10:00:00.000Z",
          timestamp: 1_767_261_600,
          status: "crashed",
          errors: 2.0,
          duration: 60,
          attrs: { release: " app@1.0.0 ", environment: "production" },
        },
        receivedAt,
      ),
    ).toEqual({
      sid: "7c7b6e4f0d8c4c1f9d3a2b1c0d9e8f7a",
      did: "42",
      init: true,
      started: "2026-01-01T10:00:00.000Z",
      timestamp: "2026-01-01T10:00:00.000Z",
      status: "crashed",
      errors: 2,
      release: "app@1.0.0",
      environment: "production",
    });
  });

  it("drops updates without a release, a start, a known status or a session id", () => {
    const good = { sid: "s", started: "2026-01-01T00:00:00Z", attrs: { release: "1.0" } };
    expect(normalizeSession(good, receivedAt)).toMatchObject({ status: "ok", init: false, errors: 0 });
    expect(normalizeSession({ ...good, attrs: {} }, receivedAt)).toBeNull();
    expect(normalizeSession({ ...good, started: "soon" }, receivedAt)).toBeNull();
    expect(normalizeSession({ ...good, status: "paused" }, receivedAt)).toBeNull();
    expect(normalizeSession({ ...good, sid: undefined }, receivedAt)).toBeNull();
  });

  it("reads aggregates, splitting long lists and skipping unreadable buckets", () => {
    const aggregates = Array.from({ length: AGGREGATES_PER_ITEM + 5 }, (_, i) => ({
      started: new Date(receivedAt + i * 60_000).toISOString(),
      exited: i,
      crashed: -1,
    }));
    const parts = normalizeAggregates({
      aggregates: [...aggregates, { started: "never" }, "bucket"],
      attrs: { release: "srv@2", environment: "e".repeat(100) },
    });
    expect(parts.map((part) => part.aggregates.length)).toEqual([AGGREGATES_PER_ITEM, 5]);
    expect(parts[0]?.environment).toHaveLength(64);
    expect(parts[1]?.aggregates.at(-1)).toMatchObject({
      exited: AGGREGATES_PER_ITEM + 4,
      crashed: 0,
      did: null,
    });
    expect(normalizeAggregates({ aggregates })).toEqual([]);
  });
});
