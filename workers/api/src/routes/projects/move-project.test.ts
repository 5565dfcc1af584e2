// Moving projects against the company's real tenant D1: requirements on advancing, overrides, and
// the history of every move.
import { env } from "cloudflare:workers";
import { DEFAULT_PIPELINE, type Project } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, callRaw, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { activity, authCallAdmin, check, company, move, project, showroom, userId } from "./fixtures.ts";

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
