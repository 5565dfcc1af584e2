// Triggering a workflow: one rendered message per recipient and channel, each deliverable one queued
// once; the Idempotency-Key dedupes repeats and concurrent duplicates; recipients outside the
// company, unknown workflows and callers without notifications:send are refused.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { watchedQueue } from "../../../test/watched-queue.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";
import { apiKey, notifyCompany, rivalCompany, storedMessages, trigger, triggerCall } from "./fixtures.ts";

const assigned = (to: unknown[], name = "Kitchen Miller") => ({
  workflow: "project.assigned",
  to,
  payload: { project: { id: "prj_1", name, stage: "Installation" }, assigned_by: "Anna" },
});

const delivered = (sent: unknown[]) =>
  sent.map((body) => {
    const message = body as { kind: string; company_id: string; message_id: string };
    expect(message.kind).toBe("deliver");
    return message.message_id;
  });

describe("POST /api/admin/companies/{id}/notifications", () => {
  it("stores one rendered message per recipient and channel and queues each deliverable one once", async () => {
    const acme = await notifyCompany("nt");
    const watched = watchedQueue(env.NOTIFICATIONS_QUEUE);
    const answer = await trigger(
      acme.companyId,
      assigned(
        [{ user_id: acme.memberId }, { email: "Client@Example.com" }],
        '<img src=x onerror="alert(1)"> Miller',
      ),
      { idempotencyKey: "basic-1", queue: watched.queue },
    );
    expect(answer.duplicate).toBe(false);
    const byKey = Object.fromEntries(answer.messages.map((m) => [`${m.recipient_key} ${m.channel}`, m]));
    expect(Object.keys(byKey).sort()).toEqual([
      "email:client@example.com email",
      `user:${acme.memberId} email`,
      `user:${acme.memberId} in_app`,
      `user:${acme.memberId} push`,
    ]);
    // No push subscription: not sent, and never queued.
    expect(byKey[`user:${acme.memberId} push`]).toMatchObject({
      status: "not_sent",
      status_reason: "no push subscription",
    });
    const queued = answer.messages.filter((m) => m.status === "queued").map((m) => m.id);
    expect(queued).toHaveLength(3);
    expect(delivered(watched.sent).sort()).toEqual(queued.sort());
    expect(watched.sent[0]).toMatchObject({ company_id: acme.companyId });

    const stored = await storedMessages(acme.companyId, "basic-1");
    const email = stored.find((m) => m.recipient_key === `user:${acme.memberId}` && m.channel === "email");
    // Email HTML escapes what the payload prints; the subject is plain text.
    expect(email?.body).toContain("&lt;img src=x onerror=&#34;alert(1)&#34;&gt; Miller");
    expect(email?.body).not.toContain("<img");
    expect(email?.subject).toBe('Project <img src=x onerror="alert(1)"> Miller: Installation');
    expect(email?.address).toBe("member@nt.example");
    expect(email?.body).toContain("Notify nt");
    expect(stored.find((m) => m.channel === "in_app")?.subject).toBe("Project assigned");
    expect(stored.every((m) => m.triggered_by === "operator:admin-secret")).toBe(true);
  });

  it("answers a repeated key with the first messages (200, duplicate) and queues nothing new", async () => {
    const acme = await notifyCompany("nt");
    const watched = watchedQueue(env.NOTIFICATIONS_QUEUE);
    const body = assigned([{ user_id: acme.ownerId }]);
    const first = await trigger(acme.companyId, body, { idempotencyKey: "repeat-1", queue: watched.queue });
    const sentFirst = watched.sent.length;
    const again = await triggerCall(acme.companyId, body, {
      idempotencyKey: "repeat-1",
      queue: watched.queue,
    });
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const second = await json<typeof first>(again);
    expect(second.duplicate).toBe(true);
    expect(second.messages.map((m) => m.id).sort()).toEqual(first.messages.map((m) => m.id).sort());
    expect(watched.sent).toHaveLength(sentFirst);
    expect(await storedMessages(acme.companyId, "repeat-1")).toHaveLength(first.messages.length);

    // Without a key every trigger is new.
    await trigger(acme.companyId, body, { queue: watched.queue });
    await trigger(acme.companyId, body, { queue: watched.queue });
    expect(watched.sent).toHaveLength(sentFirst * 3);
  });

  it("makes one message per recipient and channel, and one queue message each, for concurrent duplicates", async () => {
    const acme = await notifyCompany("nt");
    const watched = watchedQueue(env.NOTIFICATIONS_QUEUE);
    const body = assigned([
      { user_id: acme.ownerId },
      { user_id: acme.memberId },
      { email: "x@race.example" },
    ]);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        triggerCall(acme.companyId, body, { idempotencyKey: "race-1", queue: watched.queue }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 202]);
    const answers = await Promise.all(responses.map((r) => json<{ messages: { id: string }[] }>(r)));
    const ids = answers.map((a) =>
      a.messages
        .map((m) => m.id)
        .sort()
        .join(),
    );
    expect(new Set(ids).size).toBe(1);

    const stored = await storedMessages(acme.companyId, "race-1");
    // 2 users × (email, push, in_app) + 1 address × email.
    expect(stored).toHaveLength(7);
    expect(new Set(stored.map((m) => `${m.recipient_key} ${m.channel}`)).size).toBe(7);
    const queued = stored.filter((m) => m.status !== "not_sent").map((m) => m.id);
    expect(delivered(watched.sent).sort()).toEqual(queued.sort());
  });

  it("expands roles to the company's members, each once", async () => {
    const acme = await notifyCompany("nt");
    const answer = await trigger(
      acme.companyId,
      {
        workflow: "member.invited",
        to: [{ role: "owner" }, { user_id: acme.ownerId }, { role: "installer" }],
        payload: { email: "new@nt.example", role: "member", invited_by: "Anna" },
      },
      { idempotencyKey: "roles-1" },
    );
    expect(answer.messages.map((m) => `${m.recipient_key} ${m.channel}`).sort()).toEqual(
      [`user:${acme.ownerId} in_app`, `user:${acme.installerId} in_app`].sort(),
    );
    const stored = await storedMessages(acme.companyId, "roles-1");
    expect(stored.map((m) => m.body)).toContain("Anna invited new@nt.example as member.");
  });

  it("refuses users of another company and unknown workflows, storing nothing", async () => {
    const acme = await notifyCompany("nt", { ownerOnly: true });
    const rival = await rivalCompany("nt-refuse-rival", { withOwner: true });
    const before = (await storedMessages(acme.companyId)).length;
    const refused = await triggerCall(
      acme.companyId,
      assigned([{ user_id: acme.ownerId }, { user_id: rival.ownerId ?? "" }]),
    );
    await expectError(refused, 422, "NOTIFICATION_RECIPIENT_INVALID");
    await expectError(
      await triggerCall(acme.companyId, {
        workflow: "no.such",
        to: [{ user_id: acme.ownerId }],
        payload: {},
      }),
      404,
      "NOTIFICATION_WORKFLOW_NOT_FOUND",
    );
    expect(await storedMessages(acme.companyId)).toHaveLength(before);
    expect(await storedMessages(rival.companyId)).toEqual([]);
  });

  it("lets owners and API keys holding notifications:send trigger, and no one else", async () => {
    const acme = await notifyCompany("nt");
    const sender = await apiKey(acme.companyId, { notifications: ["send"] });
    const reader = await apiKey(acme.companyId, { notifications: ["read"] });
    const body = assigned([{ user_id: acme.ownerId }]);

    const byKey = await trigger(acme.companyId, body, { token: sender, idempotencyKey: "key-1" });
    expect(byKey.messages.length).toBeGreaterThan(0);
    const stored = await storedMessages(acme.companyId, "key-1");
    expect(stored[0]?.triggered_by).toMatch(/^api_key:/);
    await trigger(acme.companyId, body, { cookie: acme.ownerCookie, idempotencyKey: "owner-1" });
    expect((await storedMessages(acme.companyId, "owner-1"))[0]?.triggered_by).toBe(acme.ownerId);

    await expectError(await triggerCall(acme.companyId, body, { token: reader }), 403, "FORBIDDEN");
    await expectError(
      await triggerCall(acme.companyId, body, { cookie: acme.memberCookie }),
      403,
      "FORBIDDEN",
    );
    const rival = await rivalCompany("nt-access-rival");
    // Another company's key: that company does not exist for it.
    await expectError(await triggerCall(rival.companyId, body, { token: sender }), 404, "COMPANY_NOT_FOUND");
  });

  it("refuses an unusable Idempotency-Key, an oversized payload and too many recipients", async () => {
    const acme = await notifyCompany("nt", { ownerOnly: true });
    const before = (await storedMessages(acme.companyId)).length;
    await expectError(
      await triggerCall(acme.companyId, assigned([{ user_id: acme.ownerId }]), {
        idempotencyKey: "has space",
      }),
      400,
      "VALIDATION_FAILED",
    );
    const big = {
      workflow: "project.assigned",
      to: [{ user_id: acme.ownerId }],
      payload: { text: "x".repeat(40_000) },
    };
    await expectError(await triggerCall(acme.companyId, big), 400, "VALIDATION_FAILED");
    const many = Array.from({ length: 101 }, (_, i) => ({ email: `r${i}@nt.example` }));
    await expectError(await triggerCall(acme.companyId, assigned(many)), 400, "VALIDATION_FAILED");
    expect(await storedMessages(acme.companyId)).toHaveLength(before);
  });

  it("stores an opted-out recipient's message as not_sent and queues nothing for it", async () => {
    const acme = await notifyCompany("nt");
    const db = await tenantDatabase(env, acme.companyId);
    await db
      .prepare(
        "INSERT INTO notification_preferences (recipient_key, category, channel, enabled) VALUES (?, 'projects', 'email', 0)",
      )
      .bind(`user:${acme.installerId}`)
      .run();
    const watched = watchedQueue(env.NOTIFICATIONS_QUEUE);
    const answer = await trigger(acme.companyId, assigned([{ user_id: acme.installerId }]), {
      queue: watched.queue,
    });
    const email = answer.messages.find((m) => m.channel === "email");
    expect(email).toMatchObject({ status: "not_sent", status_reason: "opted out" });
    expect(delivered(watched.sent)).not.toContain(email?.id);
    expect(delivered(watched.sent)).toContain(answer.messages.find((m) => m.channel === "in_app")?.id);
  });
});
