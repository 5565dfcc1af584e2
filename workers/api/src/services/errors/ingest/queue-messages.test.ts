import type { ErrorQueueItem } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { normalizeEvent } from "./normalize-event.ts";
import { queueMessages } from "./queue-messages.ts";

const base = { company_id: "c", project_id: 1, app: "desktop" as const, received_at: 0, raw_key: null };
const session = (i: number): ErrorQueueItem => ({
  type: "session",
  session: {
    sid: `s${i}`.padEnd(32, "0"),
    did: "d".repeat(200),
    init: true,
    started: "2026-01-01T00:00:00.000Z",
    timestamp: "2026-01-01T00:00:00.000Z",
    status: "ok",
    errors: 0,
    release: "r".repeat(150),
    environment: "production",
  },
});
const bigEvent = (): ErrorQueueItem => ({
  type: "event",
  event: normalizeEvent(
    {
      extra: { a: "x".repeat(15_000) },
      breadcrumbs: Array.from({ length: 100 }, () => ({ message: "m".repeat(3000) })),
    },
    { receivedAt: 0, clientIp: null },
  ),
});
const size = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

describe("queueMessages", () => {
  it("puts an envelope's items in one message, shrinking its event to fit", () => {
    const messages = queueMessages(base, [bigEvent(), session(1), session(2)], 100_000);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.items.map((item) => item.type)).toEqual(["event", "session", "session"]);
    expect(size(messages[0])).toBeLessThanOrEqual(100_000);
  });

  it("spreads items over several messages only when they cannot share one", () => {
    const items = Array.from({ length: 100 }, (_, i) => session(i));
    const messages = queueMessages(base, items, 20_000);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.flatMap((message) => message.items)).toEqual(items);
    for (const message of messages) expect(size(message)).toBeLessThanOrEqual(20_000);
  });
});
