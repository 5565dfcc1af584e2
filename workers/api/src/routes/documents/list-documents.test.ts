import type { Document } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { signInstallationToken } from "../../../test/installation-tokens.ts";
import { base, download, pdfBytes, upload } from "./fixtures.ts";

describe("library", () => {
  it("lists with filters and a cursor, renames and retags, deletes softly and restores", async () => {
    const company = await registerCompany();
    const a = await upload(company.company_id, "a.pdf", pdfBytes(100), {
      tags: ["survey"],
      machine_id: "m-1",
    });
    const b = await upload(company.company_id, "b.txt", new TextEncoder().encode("notes, notes"), {
      project_id: "p-1",
    });
    const c = await upload(company.company_id, "c.pdf", pdfBytes(120), { tags: ["survey", "final"] });
    const list = async (query: string) =>
      await json<{ documents: Document[]; next_cursor: string | null }>(
        await callAsOperator(`${base(company.company_id)}?${query}`),
      );
    expect((await list("tag=survey")).documents.map((d) => d.id)).toEqual([c.id, a.id]);
    expect((await list("type=text")).documents.map((d) => d.id)).toEqual([b.id]);
    expect((await list("machine_id=m-1")).documents.map((d) => d.id)).toEqual([a.id]);
    expect((await list("project_id=p-1")).documents.map((d) => d.id)).toEqual([b.id]);
    const first = await list("limit=2");
    expect(first.documents.map((d) => d.id)).toEqual([c.id, b.id]);
    expect((await list(`limit=2&cursor=${first.next_cursor}`)).documents.map((d) => d.id)).toEqual([a.id]);

    const renamed = await callAsOperator(`${base(company.company_id)}/${a.id}`, {
      method: "PATCH",
      body: { name: "survey-final.pdf", tags: ["final"] },
    });
    expect((await json<{ document: Document }>(renamed)).document).toMatchObject({
      name: "survey-final.pdf",
      tags: ["final"],
    });
    await expectError(
      await callAsOperator(`${base(company.company_id)}/${a.id}`, {
        method: "PATCH",
        body: { name: "survey.exe" },
      }),
      415,
      "DOCUMENT_TYPE_NOT_ALLOWED",
    );

    const deleted = await callAsOperator(`${base(company.company_id)}/${a.id}`, { method: "DELETE" });
    expect((await json<{ document: Document }>(deleted)).document.purge_after).not.toBeNull();
    expect((await list("")).documents.map((d) => d.id)).toEqual([c.id, b.id]);
    expect((await list("deleted=true")).documents.map((d) => d.id)).toEqual([a.id]);
    await expectError(await download(company.company_id, a.id), 404, "DOCUMENT_NOT_FOUND");
    await callAsOperator(`${base(company.company_id)}/${a.id}/restore`, { method: "POST" });
    expect((await download(company.company_id, a.id)).status).toBe(200);

    const audit = await json<{ entries: { action: string }[] }>(
      await callAsOperator(`/api/admin/companies/${company.company_id}/audit-log?limit=50`),
    );
    const actions = audit.entries.map((entry) => entry.action);
    for (const action of ["document.uploaded", "document.updated", "document.deleted", "document.restored"]) {
      expect(actions).toContain(action);
    }
  });
});

describe("installations' documents", () => {
  it("refuses a correctly signed installation token without exp", async () => {
    const company = await registerCompany();
    const { installation } = await validatedMachine(company.company_code, "eternal-pc");
    const eternal = await signInstallationToken({
      installationId: installation.id,
      companyId: company.company_id,
      exp: null,
    });
    await expectError(await call(base(company.company_id), { token: eternal }), 401, "INVALID_TOKEN");
  });
});
