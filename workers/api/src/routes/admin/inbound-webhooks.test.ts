// Operators list inbound webhooks with their processing state and replay one that was not processed;
// the replayed event is processed by the real consumer (workers/consumers). Nobody else may do either.
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { InboundWebhookEvent } from "@nexus/contracts";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import telemetryWorker from "../../../../consumers/src/index.ts";
import {
  adminToken,
  call,
  callAsOperator,
  callWithEnv,
  expectError,
  json,
  registerCompany,
} from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";
import { watchedQueue } from "../../../test/watched-queue.ts";
import { TEST_WEBHOOK_SECRETS } from "../../../test/webhook-secrets.ts";

const DOCUSIGN_SECRET = (JSON.parse(TEST_WEBHOOK_SECRETS.WEBHOOK_SENDERS) as { docusign: string }).docusign;

/** Receives a Standard Webhooks event from the configured `docusign` sender, as the sender would. */
async function receive(id: string) {
  const payload = JSON.stringify({ type: "envelope.completed", data: { envelope_id: id } });
  const at = new Date();
  const response = await call("/api/webhooks/docusign", {
    method: "POST",
    body: payload,
    headers: {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(DOCUSIGN_SECRET).sign(id, at, payload),
    },
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

const setState = (eventId: string, state: string, attempts: number) =>
  env.CENTRAL_DB.prepare(
    "UPDATE inbound_webhook_events SET state = ?, attempts = ?, next_attempt_at = NULL, last_error = 'gave up after 8 attempts' WHERE event_id = ?",
  )
    .bind(state, attempts, eventId)
    .run();

interface EventList {
  events: InboundWebhookEvent[];
  next_cursor: string | null;
}

describe("inbound webhooks for operators", () => {
  it("lists events newest first with their state, filtered by provider and state, page by page", async () => {
    for (const id of ["msg_a", "msg_b", "msg_c"]) await receive(id);
    await setState("msg_b", "failed", 8);

    const all = await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks"));
    expect(all.events.map((event) => event.event_id)).toEqual(["msg_c", "msg_b", "msg_a"]);
    expect(all.events[0]).toMatchObject({
      provider: "docusign",
      event_type: "envelope.completed",
      state: "queued",
      attempts: 1,
      processed_at: null,
    });
    expect(all.events[0]?.payload_bytes).toBeGreaterThan(40);

    const failed = await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks?state=failed"));
    expect(failed.events).toMatchObject([
      { event_id: "msg_b", state: "failed", last_error: "gave up after 8 attempts" },
    ]);
    const none = await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks?provider=stripe"));
    expect(none.events).toEqual([]);

    const first = await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks?limit=2"));
    expect(first.events.map((event) => event.event_id)).toEqual(["msg_c", "msg_b"]);
    const second = await json<EventList>(
      await callAsOperator(`/api/admin/inbound-webhooks?limit=2&cursor=${first.next_cursor}`),
    );
    expect(second).toMatchObject({ events: [{ event_id: "msg_a" }], next_cursor: null });

    await expectError(
      await callAsOperator("/api/admin/inbound-webhooks?state=lost"),
      400,
      "VALIDATION_FAILED",
    );
  });

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

  it("answers 401 without a credential and 403 to a company's own owner", async () => {
    await receive("msg_private");
    const [row] = (await json<EventList>(await callAsOperator("/api/admin/inbound-webhooks"))).events;
    await expectError(await call("/api/admin/inbound-webhooks"), 401, "UNAUTHORIZED");
    await expectError(
      await call(`/api/admin/inbound-webhooks/${row?.id}/replay`, { method: "POST" }),
      401,
      "UNAUTHORIZED",
    );
    const company = await registerCompany({ admin_email: "owner@inbound.example" });
    const owner = await companyOwner(company.company_id, "owner@inbound.example");
    await expectError(
      await call("/api/admin/inbound-webhooks", { headers: { cookie: owner } }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await call(`/api/admin/inbound-webhooks/${row?.id}/replay`, {
        method: "POST",
        headers: { cookie: owner },
      }),
      403,
      "FORBIDDEN",
    );
  });
});
