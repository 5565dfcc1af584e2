// The mobile sync against the real tenant D1: idempotent pushes, gaps refused, rejected mutations not
// blocking, scoped pulls that follow reassignment, a 10,000-row first sync, resets and upgrades.
import { env } from "cloudflare:workers";
import type { SyncChange, SyncMutation } from "@nexus/contracts";
import { SYNC_SCHEMA_VERSION } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";

interface PullPage {
  reset: boolean;
  changes: SyncChange[];
  cursor: string;
  has_more: boolean;
  last_mutation_id: number;
}

const admin = (companyId: string) => `/api/admin/companies/${companyId}`;

async function userId(email: string): Promise<string> {
  const row = await env.CENTRAL_DB.prepare("SELECT id FROM user WHERE email = ?")
    .bind(email)
    .first<{ id: string }>();
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

function syncCall(path: "push" | "pull", body: Record<string, unknown>, cookie?: string) {
  return cookie
    ? call(`/api/sync/${path}`, {
        body: { schema_version: SYNC_SCHEMA_VERSION, ...body },
        headers: { cookie },
      })
    : callAsOperator(`/api/sync/${path}`, { body: { schema_version: SYNC_SCHEMA_VERSION, ...body } });
}

async function setup() {
  const company = await registerCompany({ admin_email: `owner-${crypto.randomUUID()}@sync.example` });
  const ownerEmail =
    (
      await env.CENTRAL_DB.prepare("SELECT admin_email FROM companies WHERE id = ?")
        .bind(company.company_id)
        .first<{ admin_email: string }>()
    )?.admin_email ?? "";
  const owner = await companyOwner(company.company_id, ownerEmail);
  const showroom = await json<{ showroom: { id: string } }>(
    await callAsOperator(`${admin(company.company_id)}/showrooms`, {
      body: { name: "Leeds", type: "retail" },
    }),
  );
  const job = async (title: string, installer?: string) =>
    (
      await json<{ project: { id: string } }>(
        await callAsOperator(`${admin(company.company_id)}/projects`, {
          body: {
            title,
            client: { name: "Client" },
            showroom_id: showroom.showroom.id,
            assignments: installer ? { installer } : {},
          },
        }),
      )
    ).project.id;
  return { companyId: company.company_id, owner, job };
}

/** Pulls until has_more is false; returns the device's view (entity:id -> data) and the request count. */
async function pullAll(
  companyId: string,
  deviceId: string,
  cookie?: string,
  start: { cursor: string | null; view?: Map<string, unknown> } = { cursor: null },
) {
  const view = start.view ?? new Map<string, unknown>();
  let cursor = start.cursor;
  let requests = 0;
  for (;;) {
    requests += 1;
    const response = await syncCall(
      "pull",
      { company_id: companyId, device_id: deviceId, cursor, limit: 1000 },
      cookie,
    );
    expect(response.status, await response.clone().text()).toBe(200);
    const page = await json<PullPage>(response);
    if (page.reset) view.clear();
    for (const change of page.changes) {
      if (change.op === "delete") view.delete(`${change.entity}:${change.id}`);
      else view.set(`${change.entity}:${change.id}`, change.data);
    }
    cursor = page.cursor;
    if (!page.has_more) return { view, cursor, requests };
  }
}

const checkIn = (id: number, jobId: string, clientId = crypto.randomUUID()): SyncMutation => ({
  id,
  name: "checkin.create",
  args: { id: clientId, job_id: jobId, gps: { lat: 53.8, lng: -1.55 } },
});

describe("push", () => {
  it("applies a batch once: the same batch again (a lost response retried) changes nothing", async () => {
    const { companyId, job } = await setup();
    const jobId = await job("Bathroom");
    const mutations = [
      checkIn(1, jobId),
      checkIn(2, jobId),
      { id: 3, name: "job.setStatus", args: { job_id: jobId, status: "on_hold" } },
    ];
    const body = { company_id: companyId, device_id: "device-aaaa-1", mutations };
    const first = await json<{ last_mutation_id: number }>(await syncCall("push", body));
    expect(first.last_mutation_id).toBe(3);
    const again = await json<{ last_mutation_id: number; rejected: unknown[] }>(await syncCall("push", body));
    expect(again).toMatchObject({ last_mutation_id: 3, rejected: [] });
    const activities = await json<{ activities: { type: string }[] }>(
      await callAsOperator(`${admin(companyId)}/projects/${jobId}/activities`),
    );
    expect(activities.activities.filter((a) => a.type === "check_in")).toHaveLength(2);
  });

  it("refuses a gap with the last applied id, writing nothing", async () => {
    const { companyId, job } = await setup();
    const jobId = await job("Kitchen");
    await syncCall("push", {
      company_id: companyId,
      device_id: "device-gap-01",
      mutations: [checkIn(1, jobId)],
    });
    const gap = await syncCall("push", {
      company_id: companyId,
      device_id: "device-gap-01",
      mutations: [checkIn(3, jobId), checkIn(4, jobId)],
    });
    const error = await expectError(gap, 409, "SYNC_MUTATION_GAP");
    expect(error.details).toEqual({ last_mutation_id: 1 });
    const activities = await json<{ activities: { type: string }[] }>(
      await callAsOperator(`${admin(companyId)}/projects/${jobId}/activities`),
    );
    expect(activities.activities.filter((a) => a.type === "check_in")).toHaveLength(1);
  });

  it("records an illegal stage change as rejected while the mutations after it apply", async () => {
    const { companyId, job } = await setup();
    const jobId = await job("Wet room");
    const response = await syncCall("push", {
      company_id: companyId,
      device_id: "device-rules-1",
      mutations: [
        { id: 1, name: "job.setStage", args: { job_id: jobId, stage: "completion" } },
        { id: 2, name: "job.setStage", args: { job_id: jobId, stage: "consultation" } },
        checkIn(3, jobId),
        { id: 4, name: "job.setStage", args: { job_id: "not-a-job", stage: "consultation" } },
      ],
    });
    const result = await json<{
      last_mutation_id: number;
      rejected: { mutation_id: number; code: string }[];
    }>(response);
    expect(result.last_mutation_id).toBe(4);
    expect(result.rejected.map((r) => [r.mutation_id, r.code])).toEqual([
      [1, "ILLEGAL_STAGE_CHANGE"],
      [2, "STAGE_REQUIREMENTS_UNMET"],
      [4, "NOT_ASSIGNED"],
    ]);
    const project = await json<{ project: { stage: string } }>(
      await callAsOperator(`${admin(companyId)}/projects/${jobId}`),
    );
    expect(project.project.stage).toBe("enquiry");
    // The same push again (its answer was lost): nothing applies twice, the rejections are reported again.
    const resent = await json<{ last_mutation_id: number; rejected: { mutation_id: number }[] }>(
      await syncCall("push", {
        company_id: companyId,
        device_id: "device-rules-1",
        mutations: [
          { id: 1, name: "job.setStage", args: { job_id: jobId, stage: "completion" } },
          checkIn(2, jobId),
        ],
      }),
    );
    expect(resent).toMatchObject({ last_mutation_id: 4, rejected: [{ mutation_id: 1 }, { mutation_id: 2 }] });
  });

  it("asks an app whose schema is too old to upgrade", async () => {
    const { companyId } = await setup();
    const response = await callAsOperator("/api/sync/pull", {
      body: { company_id: companyId, device_id: "device-old-01", schema_version: 0, cursor: null },
    });
    await expectError(response, 426, "UPGRADE_REQUIRED");
  });
});

describe("pull", () => {
  it("gives an installer their jobs only, and moves a reassigned job from one device to the other", async () => {
    const { companyId, owner, job } = await setup();
    const alice = await companyMember(
      owner,
      companyId,
      `alice-${crypto.randomUUID()}@sync.example`,
      "installer",
    );
    const bob = await companyMember(owner, companyId, `bob-${crypto.randomUUID()}@sync.example`, "installer");
    const aliceId = await userId(
      (
        await env.CENTRAL_DB.prepare(
          "SELECT email FROM user WHERE email LIKE 'alice-%' ORDER BY created_at DESC LIMIT 1",
        ).first<{ email: string }>()
      )?.email ?? "",
    );
    const bobId = await userId(
      (
        await env.CENTRAL_DB.prepare(
          "SELECT email FROM user WHERE email LIKE 'bob-%' ORDER BY created_at DESC LIMIT 1",
        ).first<{ email: string }>()
      )?.email ?? "",
    );
    const aliceJob = await job("Alice's job", aliceId);
    const otherJob = await job("Nobody's job");
    await syncCall(
      "push",
      { company_id: companyId, device_id: "alice-phone-1", mutations: [checkIn(1, aliceJob)] },
      alice,
    );

    const a = await pullAll(companyId, "alice-phone-1", alice);
    expect([...a.view.keys()].filter((k) => k.startsWith("job:"))).toEqual([`job:${aliceJob}`]);
    expect([...a.view.keys()].some((k) => k.includes(otherJob))).toBe(false);
    expect([...a.view.keys()].filter((k) => k.startsWith("activity:")).length).toBeGreaterThanOrEqual(2);
    const b = await pullAll(companyId, "bob-phone-01", bob);
    expect(b.view.size).toBe(0);

    // Reassigned to Bob: it leaves Alice's device and arrives, with its history, on Bob's.
    await callAsOperator(`${admin(companyId)}/projects/${aliceJob}`, {
      method: "PATCH",
      body: { assignments: { installer: bobId } },
    });
    const a2 = await pullAll(companyId, "alice-phone-1", alice, { cursor: a.cursor, view: a.view });
    expect(a2.view.size).toBe(0);
    const b2 = await pullAll(companyId, "bob-phone-01", bob, { cursor: b.cursor, view: b.view });
    expect(b2.view.has(`job:${aliceJob}`)).toBe(true);
    expect([...b2.view.keys()].filter((k) => k.startsWith("activity:")).length).toBeGreaterThanOrEqual(2);
    // And the device that pushed is told how far the server got.
    const page = await json<PullPage>(
      await syncCall("pull", { company_id: companyId, device_id: "alice-phone-1", cursor: a2.cursor }, alice),
    );
    expect(page.last_mutation_id).toBe(1);
  });

  it("pages a 10,000-row first sync in a bounded number of requests, then continues incrementally", {
    timeout: 60_000,
  }, async () => {
    const { companyId, job } = await setup();
    const jobId = await job("Big job");
    const db = await tenantDb(companyId);
    await db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
         INSERT INTO activities (id, project_id, type, body, data, actor_type, actor_id, occurred_at, created_at)
         SELECT printf('act-%05d', i), ?, 'note', 'bulk', '{}', 'system', NULL, i, i FROM n`,
      )
      .bind(jobId)
      .run();
    const first = await pullAll(companyId, "device-big-01");
    // 1 job page + 11 activity pages (10,001 activities at 1,000 a page) + 1 document page + 1 incremental.
    expect(first.requests).toBe(14);
    expect([...first.view.keys()].filter((k) => k.startsWith("activity:"))).toHaveLength(10_001);
    await callAsOperator(`${admin(companyId)}/projects/${jobId}/activities`, {
      body: { type: "note", body: "after the first sync" },
    });
    const next = await pullAll(companyId, "device-big-01", undefined, {
      cursor: first.cursor,
      view: first.view,
    });
    expect(next.requests).toBe(1);
    expect([...next.view.keys()].filter((k) => k.startsWith("activity:"))).toHaveLength(10_002);
  });

  it("answers a cursor older than the change history with a reset", async () => {
    const { companyId, job } = await setup();
    const jobId = await job("Old cursor");
    const first = await pullAll(companyId, "device-old-02");
    for (let i = 0; i < 3; i++) {
      await callAsOperator(`${admin(companyId)}/projects/${jobId}/activities`, {
        body: { type: "note", body: `n${i}` },
      });
    }
    const db = await tenantDb(companyId);
    const top = await db.prepare("SELECT max(version) AS v FROM sync_changes").first<{ v: number }>();
    await db
      .prepare("DELETE FROM sync_changes WHERE version < ?")
      .bind(top?.v ?? 0)
      .run();
    const page = await json<PullPage>(
      await syncCall("pull", { company_id: companyId, device_id: "device-old-02", cursor: first.cursor }),
    );
    expect(page.reset).toBe(true);
    await expectError(
      await syncCall("pull", { company_id: companyId, device_id: "device-old-02", cursor: "not-a-cursor" }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("never returns another company's rows, and a device id is bound to its user", async () => {
    const acme = await setup();
    const rival = await setup();
    await acme.job("Acme job");
    const rivalView = await pullAll(rival.companyId, "device-rival-1");
    expect(rivalView.view.size).toBe(0);
    const thief = await companyMember(
      acme.owner,
      acme.companyId,
      `thief-${crypto.randomUUID()}@sync.example`,
      "installer",
    );
    await syncCall(
      "pull",
      { company_id: acme.companyId, device_id: "device-owned-1", cursor: null },
      acme.owner,
    );
    await expectError(
      await syncCall(
        "pull",
        { company_id: acme.companyId, device_id: "device-owned-1", cursor: null },
        thief,
      ),
      403,
      "FORBIDDEN",
    );
    // A member of another company gets nothing of Acme's.
    await expectError(
      await syncCall(
        "pull",
        { company_id: acme.companyId, device_id: "device-rival-2", cursor: null },
        rival.owner,
      ),
      404,
      "COMPANY_NOT_FOUND",
    );
  });
});

async function tenantDb(companyId: string): Promise<D1Database> {
  const row = await env.CENTRAL_DB.prepare("SELECT binding_name FROM company_databases WHERE company_id = ?")
    .bind(companyId)
    .first<{ binding_name: string }>();
  return (env as unknown as Record<string, D1Database>)[row?.binding_name ?? ""] as D1Database;
}
