import { ErrorEventDataSchema } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { type EventContext, fitEvent, normalizeEvent, timeOf } from "./normalize-event.ts";

const context: EventContext = { receivedAt: Date.UTC(2026, 0, 2, 3, 4, 5), clientIp: "198.51.100.4" };
const normalize = (raw: Record<string, unknown>, extra: Partial<EventContext> = {}) => {
  const event = normalizeEvent(raw, { ...context, ...extra });
  // Whatever came in, what goes out is a valid ErrorEventData.
  expect(ErrorEventDataSchema.safeParse(event).error).toBeUndefined();
  return event;
};

describe("normalizeEvent", () => {
  it("fills the defaults for an empty event", () => {
    const event = normalize({});
    expect(event).toMatchObject({
      timestamp: "2026-01-02T03:04:05.000Z",
      platform: "other",
      level: "error",
      exceptions: [],
      breadcrumbs: [],
      tags: {},
      user: null,
      message: null,
    });
    expect(event.event_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("takes event ids with dashes or in capitals, else the envelope's, else a new one", () => {
    expect(normalize({ event_id: "9EC79C33-EC99-42AB-8353-589FCB2E04DC" }).event_id).toBe(
      "9ec79c33ec9942ab8353589fcb2e04dc",
    );
    expect(normalize({ event_id: "nope" }, { fallbackEventId: "a".repeat(32) }).event_id).toBe(
      "a".repeat(32),
    );
  });

  it("reads timestamps in seconds, numeric strings and ISO with or without a zone", () => {
    expect(normalize({ timestamp: 1_767_225_600.5 }).timestamp).toBe("2026-01-01T00:00:00.500Z");
    expect(normalize({ timestamp: "1767225600" }).timestamp).toBe("2026-01-01T00:00:00.000Z");
    expect(normalize({ timestamp: "2026-01-01T10:00:00+02:00" }).timestamp).toBe("2026-01-01T08:00:00.000Z");
    expect(normalize({ timestamp: "2026-01-01T10:00:00.25" }).timestamp).toBe("2026-01-01T10:00:00.250Z");
    for (const odd of ["yesterday", -5, 1e20, null, {}]) {
      expect(normalize({ timestamp: odd }).timestamp).toBe("2026-01-02T03:04:05.000Z");
    }
    expect(timeOf("")).toBeNull();
  });

  it("maps level aliases and defaults unknown ones to error", () => {
    const levels = ["fatal", "critical", "warn", "WARNING", "log", "debug", "loud", 3].map(
      (level) => normalize({ level }).level,
    );
    expect(levels).toEqual(["fatal", "fatal", "warning", "warning", "info", "debug", "error", "error"]);
  });

  it("takes the message from logentry (formatted, or filled from params), the message object or string", () => {
    expect(normalize({ logentry: { formatted: "done", message: "x" } }).message).toBe("done");
    expect(normalize({ logentry: { message: "%s of %s", params: [3, "4"] } }).message).toBe("3 of 4");
    expect(normalize({ message: { message: "old %s", params: [] } }).message).toBe("old %s");
    expect(normalize({ message: "plain" }).message).toBe("plain");
    expect(normalize({ message: "x".repeat(9000) }).message).toHaveLength(8192);
  });

  it("reads captureMessage's synthetic stack as a message event", () => {
    const frames = [{ function: "report", filename: "app:///main.js", lineno: 3 }];
    const synthetic = {
      value: "Printer queue stalled",
      stacktrace: { frames },
      mechanism: { type: "generic", synthetic: true },
    };
    const event = normalize({ message: "Printer queue stalled", exception: { values: [synthetic] } });
    expect(event.exceptions).toEqual([]);
    expect(event.message).toBe("Printer queue stalled");
    expect(normalize({ exception: { values: [synthetic] } }).message).toBe("Printer queue stalled");
  });

  it("keeps the innermost 250 frames, the outermost 10 exceptions and the last 100 breadcrumbs", () => {
    const frames = Array.from({ length: 300 }, (_, i) => ({
      function: `f${i}`,
      lineno: i,
      in_app: i % 2 === 0,
    }));
    const exceptions = Array.from({ length: 12 }, (_, i) => ({
      type: `E${i}`,
      value: "v",
      stacktrace: { frames },
    }));
    const breadcrumbs = Array.from({ length: 150 }, (_, i) => ({ message: `b${i}`, timestamp: i }));
    const event = normalize({ exception: { values: exceptions }, breadcrumbs: { values: breadcrumbs } });
    expect(event.exceptions.map((e) => e.type)).toEqual(Array.from({ length: 10 }, (_, i) => `E${i + 2}`));
    expect(event.exceptions[0]?.frames).toHaveLength(250);
    expect(event.exceptions[0]?.frames.at(-1)).toMatchObject({
      function: "f299",
      lineno: 299,
      in_app: false,
    });
    expect(event.breadcrumbs).toHaveLength(100);
    expect(event.breadcrumbs[0]).toMatchObject({ message: "b50", timestamp: 50 });
    // Bare arrays, as older SDKs send them, read the same.
    expect(
      normalize({ exception: exceptions.slice(0, 1), breadcrumbs: breadcrumbs.slice(0, 1) }).breadcrumbs,
    ).toHaveLength(1);
  });

  it("cuts frame fields and context lines to their bounds and ignores odd frames", () => {
    const event = normalize({
      exception: {
        values: [
          {
            type: 7,
            value: null,
            mechanism: { type: "generic", handled: "yes" },
            stacktrace: {
              frames: [
                null,
                "frame",
                {
                  function: "f".repeat(600),
                  abs_path: "a".repeat(3000),
                  lineno: 3.7,
                  colno: "2",
                  pre_context: Array.from({ length: 15 }, (_, i) => `pre${i}`),
                  post_context: Array.from({ length: 15 }, (_, i) => `post${i}`),
                  context_line: "c".repeat(2000),
                },
              ],
            },
          },
        ],
      },
    });
    const [exception] = event.exceptions;
    expect(exception).toMatchObject({
      type: "7",
      value: null,
      mechanism: { type: "generic", handled: null },
    });
    expect(exception?.frames).toHaveLength(1);
    const [frame] = exception?.frames ?? [];
    expect(frame?.function).toHaveLength(512);
    expect(frame?.abs_path).toHaveLength(2048);
    expect(frame?.context_line).toHaveLength(1024);
    expect(frame).toMatchObject({ lineno: 3, colno: null });
    expect(frame?.pre_context).toEqual(Array.from({ length: 10 }, (_, i) => `pre${i + 5}`));
    expect(frame?.post_context).toEqual(Array.from({ length: 10 }, (_, i) => `post${i}`));
  });

  it("writes tags out as strings, from objects or pairs, and drops empty ones", () => {
    expect(normalize({ tags: { a: 1, b: true, c: null, d: { x: 1 }, e: "y".repeat(300) } }).tags).toEqual({
      a: "1",
      b: "true",
      d: '{"x":1}',
      e: "y".repeat(200),
    });
    expect(normalize({ tags: [["os", "linux"], ["bad"], ["n", 2]] }).tags).toEqual({ os: "linux", n: "2" });
    expect(
      Object.keys(
        normalize({ tags: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`t${i}`, i])) }).tags,
      ),
    ).toHaveLength(100);
  });

  it("puts the client's IP for {{auto}} and keeps no empty user", () => {
    expect(normalize({ user: { ip_address: "{{auto}}", id: 5 } }).user).toEqual({
      id: "5",
      email: null,
      username: null,
      ip_address: "198.51.100.4",
    });
    expect(normalize({ user: { ip_address: "{{auto}}" } }, { clientIp: null }).user).toBeNull();
    expect(normalize({ user: "someone" }).user).toBeNull();
  });

  it("bounds contexts and extra, keeping the keys that fit", () => {
    const event = normalize({
      contexts: { os: { name: "Windows" }, big: { blob: "x".repeat(20_000) }, app: { version: "1.0" } },
      extra: { circular: undefined, fn: "ok" },
      sdk: { name: "sentry.javascript.electron" },
      fingerprint: ["{{ default }}", 42, { no: 1 }],
    });
    expect(event.contexts).toEqual({ os: { name: "Windows" }, app: { version: "1.0" } });
    expect(event.extra).toEqual({ fn: "ok" });
    expect(event.sdk).toBeNull();
    expect(event.fingerprint).toEqual(["{{ default }}", "42"]);
  });
});

describe("fitEvent", () => {
  it("shrinks an event to a byte budget, dropping extra data before frames", () => {
    const frames = Array.from({ length: 250 }, (_, i) => ({
      function: `fn${i}`,
      filename: "f".repeat(1000),
      context_line: "c".repeat(1000),
      pre_context: ["p".repeat(1000)],
    }));
    const event = normalize({
      exception: { values: [{ type: "E", stacktrace: { frames } }] },
      extra: { note: "n".repeat(10_000) },
      breadcrumbs: Array.from({ length: 100 }, () => ({ message: "m".repeat(2000) })),
    });
    const small = fitEvent(event, 60_000);
    expect(JSON.stringify(small).length).toBeLessThanOrEqual(60_000);
    expect(small.extra).toBeNull();
    expect(small.exceptions[0]?.frames.at(-1)?.function).toBe("fn249");
    expect(ErrorEventDataSchema.safeParse(small).success).toBe(true);
    // An event that fits is left alone.
    const fitting = normalize({ message: "hi", extra: { a: 1 } });
    expect(fitEvent(fitting, 60_000)).toBe(fitting);
  });
});
