// Pulling from the real tenant D1: scoped pulls that follow reassignment, a 10,000-row first sync,
// resets, upgrades, and isolation between companies and users.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { companyMember } from "../../../test/users.ts";
import { userId } from "../projects/fixtures.ts";
import { admin, checkIn, type PullPage, pullAll, setup, syncCall, tenantDb } from "./fixtures.ts";

describe("pull", () => {
  it("asks an app whose schema is too old to upgrade", async () => {
    const { companyId } = await setup();
    const response = await callAsOperator("/api/sync/pull", {
      body: { company_id: companyId, device_id: "device-old-01", schema_version: 0, cursor: null },
    });
    await expectError(response, 426, "UPGRADE_REQUIRED");
  });

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
