// Replaying one dead letter onto its original queue; the replayed message is processed by the real
// consumer.
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { DeadLetterDetail } from "@nexus/contracts";
import { newId } from "@nexus/db";
import { describe, expect, it } from "vitest";
import telemetryWorker from "../../../../consumers/src/index.ts";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { watchedQueue } from "../../../test/watched-queue.ts";
import { list, replayVia, seed } from "./fixtures.ts";

describe("replaying a dead letter", () => {
  it("replay one onto its original queue; the consumer processes it; it cannot be replayed twice", async () => {
    await seed();
    // The inbound event the dead letter is about, handed back to the sweeper by the dead-letter consumer.
    await env.CENTRAL_DB.prepare(
      "INSERT INTO inbound_webhook_events (id, provider, event_id, payload, received_at, state, attempts) VALUES (?, 'docusign', 'msg_dead', '{}', ?, 'received', 3)",
    )
      .bind(newId(), Date.now())
      .run();
    const inbound = (await list("?kind=inbound")).dead_letters[0];
    const events = watchedQueue(env.EVENTS_QUEUE);
    const response = await replayVia(
      { EVENTS_QUEUE: events.queue },
      `/api/admin/dead-letters/${inbound?.id}/replay`,
    );
    expect(response.status, await response.clone().text()).toBe(200);
    expect((await json<{ dead_letter: DeadLetterDetail }>(response)).dead_letter).toMatchObject({
      state: "replayed",
      resolved_by: "admin-secret",
    });
    expect(events.sent).toEqual([{ kind: "inbound", provider: "docusign", event_id: "msg_dead" }]);
    await telemetryWorker.queue(
      createMessageBatch(
        "nexus-events",
        events.sent.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body })),
      ),
      env as never,
    );
    const event = await env.CENTRAL_DB.prepare(
      "SELECT state FROM inbound_webhook_events WHERE event_id = 'msg_dead'",
    ).first();
    expect(event).toEqual({ state: "processed" });

    await expectError(
      await callAsOperator(`/api/admin/dead-letters/${inbound?.id}/replay`, { method: "POST" }),
      409,
      "DEAD_LETTER_RESOLVED",
    );
    expect((await list("?state=replayed")).dead_letters.map((letter) => letter.id)).toEqual([inbound?.id]);
  });
});
