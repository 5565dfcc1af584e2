// Operators replay an inbound webhook that was not processed; the replayed event is processed by the
// real consumer (workers/consumers).
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { InboundWebhookEvent } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import telemetryWorker from "../../../../consumers/src/index.ts";
import { adminToken, callAsOperator, callWithEnv, expectError, json } from "../../../test/helpers.ts";
import { watchedQueue } from "../../../test/watched-queue.ts";
import { type EventList, receive, setState } from "./fixtures.ts";

describe("replaying inbound webhooks", () => {
  it("replays a failed event onto the queue; the consumer processes it; a processed one is refused", async () => {
    await receive("msg_failed");
    await setState("msg_failed", "failed", 8);
    const [row] = (await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks"))).events;
    const id = row?.id ?? "";

    const { queue, sent } = watchedQueue();
    const replayed = await callWithEnv({ EVENTS_QUEUE: queue }, `/api/admin/inbound-webhooks/${id}/replay`, {
      method: "POST",
      token: adminToken(),
    });
    expect(replayed.status, await replayed.clone().text()).toBe(200);
    expect((await json<{ event: InboundWebhookEvent }>(replayed)).event).toMatchObject({
      id,
      state: "queued",
      attempts: 9,
    });
    expect(sent).toEqual([{ kind: "inbound", provider: "docusign", event_id: "msg_failed" }]);

    const batch = createMessageBatch(
      "nexus-events",
      sent.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body })),
    );
    await telemetryWorker.queue(batch, env as never);
    const after = await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks?state=processed"));
    expect(after.events).toMatchObject([{ id, state: "processed", outcome: "stored" }]);

    await expectError(
      await callAsOperator(`/api/admin/inbound-webhooks/${id}/replay`, { method: "POST" }),
      409,
      "INBOUND_WEBHOOK_PROCESSED",
    );
    await expectError(
      await callAsOperator("/api/admin/inbound-webhooks/no-such-event/replay", { method: "POST" }),
      404,
      "NOT_FOUND",
    );
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT target_id FROM audit_logs WHERE action = 'inbound_webhook.replayed'",
    ).all();
    expect(audit.results).toEqual([{ target_id: id }]);
  });

  it("leaves an event as it was when the queue refuses its replay, and asks to retry", async () => {
    await receive("msg_queue_down");
    await setState("msg_queue_down", "failed", 8);
    const [row] = (await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks"))).events;
    const down = watchedQueue(env.EVENTS_QUEUE, true);
    await expectError(
      await callWithEnv({ EVENTS_QUEUE: down.queue }, `/api/admin/inbound-webhooks/${row?.id}/replay`, {
        method: "POST",
        token: adminToken(),
      }),
      503,
      "SERVICE_UNAVAILABLE",
    );
    const [after] = (await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks"))).events;
    expect(after).toMatchObject({ state: "failed", attempts: 8 });
    expect(after?.last_error).toContain("queueing failed");
  });
});
