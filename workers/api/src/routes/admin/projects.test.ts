// CRM core against each company's real tenant D1: the default pipeline, requirements on advancing,
// overrides, history, installers' scope, gap-free numbers under concurrency, isolation, flags.
import { env } from "cloudflare:workers";
import { DEFAULT_PIPELINE, type Project } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  call,
  callAsOperator,
  callRaw,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";

const company = (id: string) => `/api/admin/companies/${id}`;

async function userId(email: string): Promise<string> {
  const row = await env.CENTRAL_DB.prepare("SELECT id FROM user WHERE email = ?")
    .bind(email)
    .first<{ id: string }>();
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

async function showroom(companyId: string, body: Record<string, unknown> = {}): Promise<string> {
  const response = await callAsOperator(`${company(companyId)}/showrooms`, {
    body: { name: "Leeds", type: "retail", ...body },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json<{ showroom: { id: string } }>(response)).showroom.id;
}

async function project(
  companyId: string,
  showroomId: string,
  body: Record<string, unknown> = {},
): Promise<Project> {
  const response = await callAsOperator(`${company(companyId)}/projects`, {
    body: {
      title: "Bathroom refit",
      client: { name: "Ada Lovelace", email: "ada@example.com" },
      showroom_id: showroomId,
      ...body,
    },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json<{ project: Project }>(response)).project;
}

const move = (companyId: string, projectId: string, body: Record<string, unknown>, cookie?: string) =>
  cookie
    ? authCallAdmin(`${company(companyId)}/projects/${projectId}/move`, body, cookie)
    : callAsOperator(`${company(companyId)}/projects/${projectId}/move`, { body });

const activity = (companyId: string, projectId: string, body: Record<string, unknown>) =>
  callAsOperator(`${company(companyId)}/projects/${projectId}/activities`, { body });

const check = (companyId: string, projectId: string, checklist: Record<string, boolean>) =>
  callAsOperator(`${company(companyId)}/projects/${projectId}`, { method: "PATCH", body: { checklist } });

/** A company route called with a dashboard user's session cookie. */
function authCallAdmin(path: string, body: unknown, cookie: string, method = "POST") {
  return call(path, { method, ...(body === undefined ? {} : { body }), headers: { cookie } });
}

describe("the pipeline", () => {
  it("exists for a new company as the default 13 stages, and each showroom type can have its own", async () => {
    const acme = await registerCompany();
    const pipeline = await json<{ stages: unknown[]; showroom_type: string | null }>(
      await callAsOperator(`${company(acme.company_id)}/pipeline`),
    );
    expect(pipeline.showroom_type).toBeNull();
    expect(pipeline.stages).toEqual(DEFAULT_PIPELINE);
    expect(pipeline.stages).toHaveLength(13);

    const trade = [
      { key: "enquiry", name: "Trade enquiry" },
      {
        key: "order",
        name: "Order placed",
        requirements: [{ kind: "checklist", key: "po_received", label: "PO received" }],
      },
    ];
    const put = await callAsOperator(`${company(acme.company_id)}/pipeline?showroom_type=trade`, {
      method: "PUT",
      body: { stages: trade },
    });
    expect(put.status, await put.clone().text()).toBe(200);
    const tradePipeline = await json<{ stages: { key: string }[] }>(
      await callAsOperator(`${company(acme.company_id)}/pipeline?showroom_type=trade`),
    );
    expect(tradePipeline.stages.map((s) => s.key)).toEqual(["enquiry", "order"]);
    // Retail still uses the default.
    const retail = await json<{ stages: unknown[] }>(
      await callAsOperator(`${company(acme.company_id)}/pipeline?showroom_type=retail`),
    );
    expect(retail.stages).toHaveLength(13);
  });

  it("refuses to drop a stage projects are in", async () => {
    const acme = await registerCompany();
    const room = await showroom(acme.company_id);
    await project(acme.company_id, room);
    const response = await callAsOperator(`${company(acme.company_id)}/pipeline`, {
      method: "PUT",
      body: {
        stages: [
          { key: "lead", name: "Lead" },
          { key: "won", name: "Won" },
        ],
      },
    });
    await expectError(response, 409, "PIPELINE_STAGE_IN_USE");
  });
});

describe("moving projects", () => {
  it("refuses to advance with unmet requirements, listing them, and advances once they are met", async () => {
    const acme = await registerCompany({ admin_email: "owner@acme.example" });
    await companyOwner(acme.company_id, "owner@acme.example");
    const surveyor = await userId("owner@acme.example");
    const room = await showroom(acme.company_id);
    const job = await project(acme.company_id, room);
    expect(job).toMatchObject({ stage: "enquiry", reference: "P-000001" });

    const refused = await move(acme.company_id, job.id, { to_stage: "consultation" });
    const body = await expectError(refused, 409, "STAGE_REQUIREMENTS_UNMET");
    expect(body.details).toMatchObject({
      stage: "consultation",
      unmet: [{ kind: "activity", type: "call" }],
    });
    expect(
      (await activity(acme.company_id, job.id, { type: "call", body: "Discussed the layout" })).status,
    ).toBe(201);
    expect(
      (await json<{ project: Project }>(await move(acme.company_id, job.id, { to_stage: "consultation" })))
        .project.stage,
    ).toBe("consultation");

    await expectError(
      await move(acme.company_id, job.id, { to_stage: "survey_booked" }),
      409,
      "STAGE_REQUIREMENTS_UNMET",
    );
    await callAsOperator(`${company(acme.company_id)}/projects/${job.id}`, {
      method: "PATCH",
      body: { assignments: { surveyor } },
    });
    expect((await move(acme.company_id, job.id, { to_stage: "survey_booked" })).status).toBe(200);

    // Survey completed needs a site visit and a survey report linked to the project; the
    // requirements route says the same before any move is tried.
    const metOf = async (stage: string) => {
      const status = await json<{
        stage: string;
        stages: { key: string; requirements: { requirement: { kind: string }; met: boolean }[] }[];
      }>(await callAsOperator(`${company(acme.company_id)}/projects/${job.id}/requirements`));
      expect(status.stages.map((s) => s.key)).toEqual(DEFAULT_PIPELINE.map((s) => s.key));
      return status.stages.find((s) => s.key === stage)?.requirements.map((r) => [r.requirement.kind, r.met]);
    };
    expect(await metOf("survey_booked")).toEqual([["assignment", true]]);
    expect(await metOf("survey_completed")).toEqual([
      ["activity", false],
      ["document", false],
    ]);
    const unmet = await expectError(
      await move(acme.company_id, job.id, { to_stage: "survey_completed" }),
      409,
      "STAGE_REQUIREMENTS_UNMET",
    );
    expect((unmet.details as { unmet: { kind: string }[] }).unmet.map((r) => r.kind)).toEqual([
      "activity",
      "document",
    ]);
    await activity(acme.company_id, job.id, { type: "site_visit" });
    const bytes = new TextEncoder().encode("%PDF-1.7\nsurvey");
    const declared = await json<{ document: { id: string } }>(
      await callAsOperator(`${company(acme.company_id)}/documents`, {
        body: { name: "survey.pdf", size: bytes.byteLength, tags: ["survey"], project_id: job.id },
      }),
    );
    await callRaw(`${company(acme.company_id)}/documents/${declared.document.id}/content`, {
      body: bytes,
      token: env.NEXUS_ADMIN_SECRET,
    });
    expect(await metOf("survey_completed")).toEqual([
      ["activity", true],
      ["document", true],
    ]);
    expect((await move(acme.company_id, job.id, { to_stage: "survey_completed" })).status).toBe(200);

    // Checklist requirements.
    await callAsOperator(`${company(acme.company_id)}/projects/${job.id}`, {
      method: "PATCH",
      body: { assignments: { designer: surveyor } },
    });
    expect((await move(acme.company_id, job.id, { to_stage: "design" })).status).toBe(200);
    await expectError(
      await move(acme.company_id, job.id, { to_stage: "design_presented" }),
      409,
      "STAGE_REQUIREMENTS_UNMET",
    );
    await check(acme.company_id, job.id, { design_presented: true });
    const stillUnmet = await expectError(
      await move(acme.company_id, job.id, { to_stage: "design_presented" }),
      409,
      "STAGE_REQUIREMENTS_UNMET",
    );
    expect((stillUnmet.details as { unmet: { kind: string; tag?: string }[] }).unmet).toEqual([
      expect.objectContaining({ kind: "document", tag: "design" }),
    ]);
  });

  it("lets only projects:override skip or go back, with a reason, and records every move with actor and time", async () => {
    const acme = await registerCompany({ admin_email: "boss@acme.example" });
    const owner = await companyOwner(acme.company_id, "boss@acme.example");
    const member = await companyMember(owner, acme.company_id, "sales@acme.example", "member");
    const room = await showroom(acme.company_id);
    const job = await project(acme.company_id, room);
    const path = `${company(acme.company_id)}/projects/${job.id}/move`;

    await expectError(
      await authCallAdmin(path, { to_stage: "quote_sent", reason: "repeat client" }, member),
      403,
      "FORBIDDEN",
    );
    await expectError(await authCallAdmin(path, { to_stage: "quote_sent" }, owner), 400, "VALIDATION_FAILED");
    expect(
      (await authCallAdmin(path, { to_stage: "quote_sent", reason: "repeat client, survey on file" }, owner))
        .status,
    ).toBe(200);
    // A new project entered its first stage when it was created.
    expect(Math.abs(Date.parse(job.stage_entered_at) - Date.parse(job.created_at))).toBeLessThan(1000);
    const beforeBack = Date.now();
    expect(
      (await authCallAdmin(path, { to_stage: "design", reason: "quote needs a new design" }, owner)).status,
    ).toBe(200);
    await expectError(await authCallAdmin(path, { to_stage: "nowhere" }, owner), 400, "VALIDATION_FAILED");
    // The last move sets when it entered its stage, in the project and in lists alike.
    const { project: moved } = await json<{ project: Project }>(
      await callAsOperator(`${company(acme.company_id)}/projects/${job.id}`),
    );
    expect(Date.parse(moved.stage_entered_at)).toBeGreaterThanOrEqual(beforeBack - 5);
    const { projects: listed } = await json<{ projects: Project[] }>(
      await callAsOperator(`${company(acme.company_id)}/projects?stage=design`),
    );
    expect(listed.map((p) => [p.id, p.stage_entered_at])).toEqual([[job.id, moved.stage_entered_at]]);

    const history = await json<{
      activities: {
        type: string;
        body: string | null;
        data: Record<string, unknown>;
        actor: { type: string; id: string };
        occurred_at: string;
      }[];
    }>(await callAsOperator(`${company(acme.company_id)}/projects/${job.id}/activities`));
    const moves = history.activities.filter((a) => a.type === "status_change");
    const ownerId = await userId("boss@acme.example");
    expect(moves.map((a) => [a.data.from, a.data.to, a.data.kind, a.actor.type, a.actor.id, a.body])).toEqual(
      [
        ["quote_sent", "design", "back", "user", ownerId, "quote needs a new design"],
        ["enquiry", "quote_sent", "skip", "user", ownerId, "repeat client, survey on file"],
        [null, "enquiry", "created", "operator", "admin-secret", null],
      ],
    );
    for (const entry of moves) expect(Date.parse(entry.occurred_at)).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe("who sees what", () => {
  it("shows installers only the projects assigned to them (others are 404)", async () => {
    const acme = await registerCompany({ admin_email: "own@acme.example" });
    const owner = await companyOwner(acme.company_id, "own@acme.example");
    const installer = await companyMember(owner, acme.company_id, "fitter@acme.example", "installer");
    const fitter = await userId("fitter@acme.example");
    const room = await showroom(acme.company_id, { member_ids: [fitter] });
    const mine = await project(acme.company_id, room, { assignments: { installer: fitter } });
    const other = await project(acme.company_id, room);

    const listed = await json<{ projects: Project[] }>(
      await authCallAdmin(`${company(acme.company_id)}/projects`, undefined, installer, "GET"),
    );
    expect(listed.projects.map((p) => p.id)).toEqual([mine.id]);
    await expectError(
      await authCallAdmin(`${company(acme.company_id)}/projects/${other.id}`, undefined, installer, "GET"),
      404,
      "PROJECT_NOT_FOUND",
    );
    await expectError(
      await authCallAdmin(
        `${company(acme.company_id)}/projects/${other.id}/activities`,
        { type: "note", body: "x" },
        installer,
      ),
      404,
      "PROJECT_NOT_FOUND",
    );
    // Their own job: they read it and check in with GPS, but cannot move it.
    expect(
      (await authCallAdmin(`${company(acme.company_id)}/projects/${mine.id}`, undefined, installer, "GET"))
        .status,
    ).toBe(200);
    const checkIn = await authCallAdmin(
      `${company(acme.company_id)}/projects/${mine.id}/activities`,
      { type: "check_in", gps: { lat: 53.8, lng: -1.55, accuracy_m: 12 } },
      installer,
    );
    expect(checkIn.status, await checkIn.clone().text()).toBe(201);
    await expectError(
      await authCallAdmin(
        `${company(acme.company_id)}/projects/${mine.id}/move`,
        { to_stage: "consultation" },
        installer,
      ),
      403,
      "FORBIDDEN",
    );
    // The owner sees both, and can filter by assignee.
    const all = await json<{ projects: Project[] }>(
      await authCallAdmin(`${company(acme.company_id)}/projects`, undefined, owner, "GET"),
    );
    expect(all.projects).toHaveLength(2);
    const byAssignee = await json<{ projects: Project[] }>(
      await callAsOperator(`${company(acme.company_id)}/projects?assignee=${fitter}`),
    );
    expect(byAssignee.projects.map((p) => p.id)).toEqual([mine.id]);
  });

  it("keeps one company's projects invisible to another", async () => {
    const acme = await registerCompany();
    const rival = await registerCompany();
    const job = await project(acme.company_id, await showroom(acme.company_id));
    await showroom(rival.company_id);
    await expectError(
      await callAsOperator(`${company(rival.company_id)}/projects/${job.id}`),
      404,
      "PROJECT_NOT_FOUND",
    );
    await expectError(
      await callAsOperator(`${company(rival.company_id)}/projects/${job.id}/move`, {
        body: { to_stage: "consultation" },
      }),
      404,
      "PROJECT_NOT_FOUND",
    );
    const listed = await json<{ projects: Project[] }>(
      await callAsOperator(`${company(rival.company_id)}/projects`),
    );
    expect(listed.projects).toEqual([]);
    // Nor can a project be opened in another company's showroom.
    await expectError(
      await callAsOperator(`${company(rival.company_id)}/projects`, {
        body: {
          title: "x",
          client: { name: "y" },
          showroom_id: (
            await json<{ project: Project }>(
              await callAsOperator(`${company(acme.company_id)}/projects/${job.id}`),
            )
          ).project.showroom_id,
        },
      }),
      404,
      "NOT_FOUND",
    );
  });
});

describe("project numbers", () => {
  it("stay unique and gap-free under concurrent creation", async () => {
    const acme = await registerCompany();
    const room = await showroom(acme.company_id);
    const created = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        callAsOperator(`${company(acme.company_id)}/projects`, {
          body: { title: `Job ${i}`, client: { name: `Client ${i}` }, showroom_id: room },
        }),
      ),
    );
    const numbers = await Promise.all(
      created.map(async (r) => (await json<{ project: Project }>(r)).project.number),
    );
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    // A refused creation takes no number.
    await expectError(
      await callAsOperator(`${company(acme.company_id)}/projects`, {
        body: { title: "x", client: { name: "y" }, showroom_id: "nope" },
      }),
      404,
      "NOT_FOUND",
    );
    const next = await project(acme.company_id, room);
    expect(next.number).toBe(26);
    const found = await json<{ projects: Project[] }>(
      await callAsOperator(`${company(acme.company_id)}/projects?q=P-000026`),
    );
    expect(found.projects.map((p) => p.id)).toEqual([next.id]);
  });
});

describe("feature flags", () => {
  it("are evaluated by role and showroom type for users, and returned to installations at validate", async () => {
    const acme = await registerCompany({ admin_email: "flags@acme.example" });
    const owner = await companyOwner(acme.company_id, "flags@acme.example");
    const installer = await companyMember(owner, acme.company_id, "fit@acme.example", "installer");
    await showroom(acme.company_id, {
      name: "Trade counter",
      type: "trade",
      member_ids: [await userId("fit@acme.example")],
    });
    const put = await callAsOperator(`${company(acme.company_id)}/feature-flags`, {
      method: "PUT",
      body: {
        flags: [
          { key: "trade_pricing", enabled: false, rules: [{ showroom_types: ["trade"], enabled: true }] },
          {
            key: "site_survey_tool",
            enabled: false,
            rules: [{ roles: ["installer", "owner"], enabled: true }],
          },
          { key: "new_quote_editor", enabled: true, rules: [{ roles: ["installer"], enabled: false }] },
        ],
      },
    });
    expect(put.status, await put.clone().text()).toBe(200);
    const mine = async (cookie: string) =>
      (
        await json<{ flags: Record<string, boolean> }>(
          await authCallAdmin(`${company(acme.company_id)}/feature-flags/me`, undefined, cookie, "GET"),
        )
      ).flags;
    expect(await mine(installer)).toEqual({
      trade_pricing: true,
      site_survey_tool: true,
      new_quote_editor: false,
    });
    expect(await mine(owner)).toEqual({
      trade_pricing: false,
      site_survey_tool: true,
      new_quote_editor: true,
    });
    const validated = await validatedMachine(acme.company_code, "crm-pc");
    expect(validated.feature_flags).toEqual({
      trade_pricing: false,
      site_survey_tool: false,
      new_quote_editor: true,
    });
    // Only managers change flags.
    await expectError(
      await authCallAdmin(`${company(acme.company_id)}/feature-flags`, { flags: [] }, installer, "PUT"),
      403,
      "FORBIDDEN",
    );
  });
});
