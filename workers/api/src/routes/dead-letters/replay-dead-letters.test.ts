// Replaying many dead letters, each onto its own queue; a queue that refuses leaves them pending.
import { env } from "cloudflare:workers";
import { newId } from "@nexus/db";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { watchedQueue } from "../../../test/watched-queue.ts";
import { list, replayVia, seed } from "./fixtures.ts";

describe("replaying dead letters", () => {
  it("replay many: each onto its own queue, a failed delivery as a manual attempt; others are skipped", async () => {
    const all = await seed();
    const discardedId = all.find((letter) => letter.kind === "samples")?.id ?? "";
    const others = all.map((letter) => letter.id).filter((id) => id !== discardedId);
    await callAsOperator(`/api/admin/dead-letters/${discardedId}/discard`, { method: "POST" });
    const telemetry = watchedQueue(env.TELEMETRY_QUEUE);
    const events = watchedQueue(env.EVENTS_QUEUE);
    const unknown = newId();
    const response = await replayVia(
      { TELEMETRY_QUEUE: telemetry.queue, EVENTS_QUEUE: events.queue },
      "/api/admin/dead-letters/replay",
      { ids: [...others, discardedId, unknown] },
    );
    const body = await json<{ replayed: string[]; skipped: { id: string; reason: string }[] }>(response);
    expect(body.replayed.sort()).toEqual([...others].sort());
    expect(body.skipped).toEqual([
      { id: discardedId, reason: "already discarded" },
      { id: unknown, reason: "no dead letter has this id" },
    ]);
    expect(telemetry.sent).toHaveLength(1);
    expect(events.sent).toHaveLength(2);
    expect(events.sent).toContainEqual({
      kind: "delivery",
      delivery_id: "del-1",
      company_id: "company-a",
      manual: true,
    });
    expect((await list("?state=pending")).dead_letters).toEqual([]);
    await expectError(
      await callAsOperator("/api/admin/dead-letters/replay", { body: { ids: [] } }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("keeps letters pending when the queue refuses the replay", async () => {
    const all = await seed();
    const down = watchedQueue(env.TELEMETRY_QUEUE, true);
    const telemetryIds = all.filter((letter) => letter.kind === "samples").map((letter) => letter.id);
    await expectError(
      await replayVia({ TELEMETRY_QUEUE: down.queue }, "/api/admin/dead-letters/replay", {
        ids: telemetryIds,
      }),
      503,
      "SERVICE_UNAVAILABLE",
    );
    await expectError(
      await replayVia({ TELEMETRY_QUEUE: down.queue }, `/api/admin/dead-letters/${telemetryIds[0]}/replay`),
      503,
      "SERVICE_UNAVAILABLE",
    );
    expect((await list("?state=pending")).dead_letters).toHaveLength(4);
  });
});
