// Workflows the platform triggers itself: project moves and assignments reach the assignees (not
// the actor) after the response; invitations, releases and failing webhook endpoints travel as
// queue `trigger` messages that runTrigger runs once; and a notification problem fails nothing.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { reportFailingEndpoint } from "../../../../consumers/src/events/webhook-endpoint-failing.ts";
import { adminToken, callWithEnv, json } from "../../../test/helpers.ts";
import { watchedQueue } from "../../../test/watched-queue.ts";
import { notifyCompany } from "../../routes/notifications/fixtures.ts";
import { activity, company, showroom } from "../../routes/projects/fixtures.ts";
import { tenantDatabase } from "../tenant-db.ts";
import { notifyReleasePublished, runTrigger } from "./system-events.ts";

interface Row {
  workflow_key: string;
  recipient_key: string;
  channel: string;
  status: string;
  subject: string | null;
  body: string;
  idempotency_key: string | null;
}

async function messages(companyId: string, workflow: string): Promise<Row[]> {
  const db = await tenantDatabase(env, companyId);
  const rows = await db
    .prepare(
      "SELECT workflow_key, recipient_key, channel, status, subject, body, idempotency_key FROM notification_messages WHERE workflow_key = ? ORDER BY id",
    )
    .bind(workflow)
    .all<Row>();
  return rows.results;
}

/** Calls the worker and waits for its waitUntil work (the notifications run after the response). */
const callAndWait = (path: string, body: unknown, overrides: Partial<Env> = {}, method = "POST") =>
  callWithEnv(overrides, path, { method, body, token: adminToken() });

describe("system events", () => {
  it("tells a project's assignees of a new assignment and of each move", async () => {
    const acme = await notifyCompany("se-project");
    const room = await showroom(acme.companyId);
    const created = await callAndWait(`${company(acme.companyId)}/projects`, {
      title: "Kitchen Miller",
      client: { name: "Ada", email: "ada@example.com" },
      showroom_id: room,
      assignments: { installer: acme.installerId },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const job = (await json<{ project: { id: string } }>(created)).project;
    const assigned = await messages(acme.companyId, "project.assigned");
    expect(assigned.map((m) => `${m.recipient_key} ${m.channel} ${m.status}`).sort()).toEqual(
      [
        `user:${acme.installerId} email queued`,
        `user:${acme.installerId} in_app queued`,
        `user:${acme.installerId} push not_sent`,
      ].sort(),
    );
    expect(assigned.find((m) => m.channel === "in_app")?.body).toBe(
      "Kitchen Miller (enquiry) is assigned to you.",
    );

    expect((await activity(acme.companyId, job.id, { type: "call", body: "Layout" })).status).toBe(201);
    const moved = await callAndWait(`${company(acme.companyId)}/projects/${job.id}/move`, {
      to_stage: "consultation",
    });
    expect(moved.status, await moved.clone().text()).toBe(200);
    const after = await messages(acme.companyId, "project.assigned");
    const stage = after.filter((m) => m.idempotency_key?.includes(":stage:consultation:"));
    expect(stage.map((m) => m.recipient_key)).toEqual(Array(3).fill(`user:${acme.installerId}`));
    expect(stage.find((m) => m.channel === "in_app")?.body).toBe(
      "Kitchen Miller (consultation) is assigned to you.",
    );
  });

  it("fails nothing when the notifications queue is down", async () => {
    const acme = await notifyCompany("se-down", { ownerOnly: true });
    const room = await showroom(acme.companyId);
    const down = watchedQueue(env.NOTIFICATIONS_QUEUE, true);
    const created = await callAndWait(
      `${company(acme.companyId)}/projects`,
      {
        title: "Bathroom",
        client: { name: "Ada", email: "ada@example.com" },
        showroom_id: room,
        assignments: { surveyor: acme.ownerId, installer: acme.ownerId },
      },
      { NOTIFICATIONS_QUEUE: down.queue },
    );
    // The operator created it, so the owner is notified — but the queue refuses: the project stands
    // and no message is left queued without its queue message.
    expect(created.status, await created.clone().text()).toBe(201);
    expect(await messages(acme.companyId, "project.assigned")).toEqual([]);
  });

  it("queues an invitation for the admins, and runTrigger sends it once however often it runs", async () => {
    const acme = await notifyCompany("se-invite", { ownerOnly: true });
    const watched = watchedQueue(env.NOTIFICATIONS_QUEUE);
    const invited = await callAndWait(
      `${company(acme.companyId)}/invitations`,
      { email: "new@se-invite.example", role: "member" },
      { NOTIFICATIONS_QUEUE: watched.queue },
    );
    expect(invited.status, await invited.clone().text()).toBe(201);
    const trigger = watched.sent.find((m) => (m as { kind?: string }).kind === "trigger");
    expect(trigger).toMatchObject({
      kind: "trigger",
      company_id: acme.companyId,
      workflow: "member.invited",
      to: [{ role: "owner" }, { role: "admin" }],
      payload: { email: "new@se-invite.example", role: "member" },
    });
    await runTrigger(env, trigger);
    await runTrigger(env, trigger);
    const sent = await messages(acme.companyId, "member.invited");
    expect(sent.map((m) => `${m.recipient_key} ${m.channel}`)).toEqual([`user:${acme.ownerId} in_app`]);
    expect(sent[0]?.body).toBe("An admin invited new@se-invite.example as member.");
  });

  it("runs the consumers worker's failing-endpoint trigger and a release's for the owners", async () => {
    const acme = await notifyCompany("se-webhook", { ownerOnly: true });
    const sent: unknown[] = [];
    const queue = { send: async (body: unknown) => void sent.push(body) } as unknown as Queue;
    await reportFailingEndpoint(
      { NOTIFICATIONS_QUEUE: queue },
      { companyId: acme.companyId, endpointId: "we_1", url: "https://hooks.example.com/x" },
      "HTTP 500",
      Date.now(),
    );
    await notifyReleasePublished({ ...env, NOTIFICATIONS_QUEUE: queue }, acme.companyId, {
      channel: "stable",
      version: "2.4.0",
    });
    expect(sent).toHaveLength(2);
    for (const body of sent) await runTrigger(env, body);
    const failing = await messages(acme.companyId, "webhook.endpoint_failing");
    expect(failing.map((m) => m.channel).sort()).toEqual(["email", "in_app"]);
    expect(failing.find((m) => m.channel === "email")?.subject).toBe(
      "Webhook endpoint disabled: https://hooks.example.com/x",
    );
    const release = await messages(acme.companyId, "release.published");
    expect(release.find((m) => m.channel === "in_app")?.subject).toBe("New version 2.4.0");
  });

  it("drops queue triggers that can never succeed instead of retrying them", async () => {
    const acme = await notifyCompany("se-drop", { ownerOnly: true });
    await expect(runTrigger(env, { kind: "trigger", company_id: acme.companyId })).resolves.toBeUndefined();
    const base = { kind: "trigger", company_id: acme.companyId, to: [{ role: "owner" }], payload: {} };
    await expect(runTrigger(env, { ...base, workflow: "no.such" })).resolves.toBeUndefined();
    await expect(
      runTrigger(env, { ...base, company_id: "no-such-company", workflow: "member.invited" }),
    ).resolves.toBeUndefined();
    await expect(
      runTrigger(env, { ...base, workflow: "member.invited", to: [{ user_id: "stranger" }] }),
    ).resolves.toBeUndefined();
    expect(await messages(acme.companyId, "member.invited")).toEqual([]);
  });
});
