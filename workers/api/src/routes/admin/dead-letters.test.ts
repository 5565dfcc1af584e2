// Dead letters kept by the real dead-letter consumer (workers/consumers): operators list them with
// filters, read one, replay one or many onto the original queue (the replayed message is processed
// by the real consumer), and discard them; a queue that refuses a replay leaves them pending.
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { DeadLetter, DeadLetterDetail } from "@nexus/contracts";
import { newId } from "@nexus/db";
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

/** Hands messages to the real dead-letter consumer, as the queue does after the last retry. */
async function deadLetter(queue: string, bodies: unknown[]) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body) => ({ id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 6, body })),
  );
  await telemetryWorker.queue(batch, env as never);
}

interface LetterList {
  dead_letters: DeadLetter[];
  next_cursor: string | null;
}

const list = async (query = "") =>
  json<LetterList>(await callAsOperator(`/api/admin/dead-letters${query}`)).then((body) => body);

const samples = (companyId: string, key: string) => ({
  kind: "samples",
  company_id: companyId,
  key,
  installation_id: null,
  samples: [],
  usage: [],
});

async function seed() {
  await deadLetter("nexus-telemetry-dlq", [samples("company-a", "k:1"), samples("company-b", "k:2")]);
  await deadLetter("nexus-events-dlq", [
    { kind: "delivery", delivery_id: "del-1", company_id: "company-a" },
    { kind: "inbound", provider: "docusign", event_id: "msg_dead" },
  ]);
  return (await list()).dead_letters;
}

const replayVia = (queues: Partial<Env>, path: string, body?: unknown) =>
  callWithEnv(queues, path, { method: "POST", token: adminToken(), ...(body ? { body } : {}) });

describe("dead letters", () => {
  it("list newest first without bodies, filtered by queue, kind, company and time, page by page", async () => {
    const all = await seed();
    expect(all).toHaveLength(4);
    expect(all[0]).toMatchObject({ state: "pending", attempts: 6, resolved_at: null });
    expect(all[0]).not.toHaveProperty("body");
    expect(all.every((letter) => letter.body_bytes > 10)).toBe(true);

    const telemetry = await list("?queue=nexus-telemetry-dlq");
    expect(telemetry.dead_letters.map((letter) => letter.original_queue)).toEqual([
      "nexus-telemetry",
      "nexus-telemetry",
    ]);
    expect((await list("?kind=delivery")).dead_letters).toMatchObject([
      {
        kind: "delivery",
        company_id: "company-a",
        queue: "nexus-events-dlq",
        original_queue: "nexus-events",
      },
    ]);
    expect((await list("?company_id=company-a")).dead_letters.map((letter) => letter.kind).sort()).toEqual([
      "delivery",
      "samples",
    ]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await list(`?since=${future}`)).dead_letters).toEqual([]);
    expect((await list(`?until=${future}`)).dead_letters).toHaveLength(4);

    const first = await list("?limit=3");
    expect(first.dead_letters).toHaveLength(3);
    const rest = await list(`?limit=3&cursor=${first.next_cursor}`);
    expect(rest).toMatchObject({ next_cursor: null });
    expect([...first.dead_letters, ...rest.dead_letters].map((letter) => letter.id)).toEqual(
      all.map((letter) => letter.id),
    );
    await expectError(
      await callAsOperator("/api/admin/dead-letters?since=yesterday"),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("show one with its body", async () => {
    const all = await seed();
    const delivery = all.find((letter) => letter.kind === "delivery");
    const response = await callAsOperator(`/api/admin/dead-letters/${delivery?.id}`);
    expect((await json<{ dead_letter: DeadLetterDetail }>(response)).dead_letter).toMatchObject({
      id: delivery?.id,
      body: { kind: "delivery", delivery_id: "del-1", company_id: "company-a" },
    });
    await expectError(await callAsOperator(`/api/admin/dead-letters/${newId()}`), 404, "NOT_FOUND");
  });

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

  it("discard marks a letter discarded once; it can then be neither replayed nor discarded", async () => {
    const [letter] = await seed();
    const discarded = await callAsOperator(`/api/admin/dead-letters/${letter?.id}/discard`, {
      method: "POST",
    });
    expect((await json<{ dead_letter: DeadLetterDetail }>(discarded)).dead_letter).toMatchObject({
      state: "discarded",
      resolved_by: "admin-secret",
    });
    await expectError(
      await callAsOperator(`/api/admin/dead-letters/${letter?.id}/discard`, { method: "POST" }),
      409,
      "DEAD_LETTER_RESOLVED",
    );
    await expectError(
      await callAsOperator(`/api/admin/dead-letters/${letter?.id}/replay`, { method: "POST" }),
      409,
      "DEAD_LETTER_RESOLVED",
    );
    await expectError(
      await callAsOperator(`/api/admin/dead-letters/${newId()}/discard`, { method: "POST" }),
      404,
      "NOT_FOUND",
    );
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT target_id FROM audit_logs WHERE action = 'dead_letter.discarded'",
    ).all();
    expect(audit.results).toEqual([{ target_id: letter?.id }]);
  });

  it("answer 401 without a credential and 403 to a company's own owner, even for its own dead letters", async () => {
    const company = await registerCompany({ admin_email: "owner@dead.example" });
    await deadLetter("nexus-telemetry-dlq", [samples(company.company_id, "k:own")]);
    const [letter] = (await list()).dead_letters;
    const owner = await companyOwner(company.company_id, "owner@dead.example");
    for (const [method, path] of [
      ["GET", "/api/admin/dead-letters"],
      ["GET", `/api/admin/dead-letters/${letter?.id}`],
      ["POST", `/api/admin/dead-letters/${letter?.id}/replay`],
      ["POST", `/api/admin/dead-letters/${letter?.id}/discard`],
    ] as const) {
      await expectError(await call(path, { method }), 401, "UNAUTHORIZED");
      await expectError(await call(path, { method, headers: { cookie: owner } }), 403, "FORBIDDEN");
    }
    await expectError(
      await call("/api/admin/dead-letters/replay", {
        body: { ids: [letter?.id] },
        headers: { cookie: owner },
      }),
      403,
      "FORBIDDEN",
    );
    expect((await list("?state=pending")).dead_letters).toHaveLength(1);
  });
});
