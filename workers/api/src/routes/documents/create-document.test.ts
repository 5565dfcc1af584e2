import { env } from "cloudflare:workers";
import type { Document } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { base, declare, download, MiB, pdfBytes, upload } from "./fixtures.ts";

describe("single uploads and downloads", () => {
  it("handles hostile and unusual names without a 500", async () => {
    const company = await registerCompany();
    for (const name of [
      "../../etc/passwd.pdf",
      "a\u0000b.pdf",
      `${"x".repeat(300)}.pdf`,
      "dir\\file.pdf",
      "line\nbreak.pdf",
    ]) {
      await expectError(await declare(company.company_id, { name, size: 10 }), 400, "VALIDATION_FAILED");
    }
    const unicode = 'Ünïcødé 报告 "quoted"; name.pdf';
    const document = await upload(company.company_id, unicode, pdfBytes(2000));
    expect(document.name).toBe(unicode);
    const response = await download(company.company_id, document.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(
      `filename*=UTF-8''${encodeURIComponent(unicode)}`,
    );
    const listed = await json<{ documents: Document[] }>(await callAsOperator(base(company.company_id)));
    expect(listed.documents.map((d) => d.name)).toEqual([unicode]);
  });
});

describe("quota", () => {
  it("refuses uploads past the tier's storage, even when racing", async () => {
    const company = await registerCompany();
    // Standard tier: 5 GiB. Declarations reserve space before any byte is sent.
    const GiB = 1024 * MiB;
    const big = { name: "scan.pdf", size: 2 * GiB, multipart: true };
    const results = await Promise.all([1, 2, 3].map(() => declare(company.company_id, big)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409]);
    const refused = results.find((r) => r.status === 409);
    if (!refused) throw new Error("no refusal");
    await expectError(refused, 409, "STORAGE_QUOTA_EXCEEDED");
    const listed = await json<{ usage: { used_bytes: number; quota_bytes: number } }>(
      await callAsOperator(base(company.company_id)),
    );
    expect(listed.usage).toEqual({ used_bytes: 4 * GiB, quota_bytes: 5 * GiB });
    await expectError(
      await declare(company.company_id, { name: "big.pdf", size: 96 * MiB }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
  });
});

describe("installers' documents", () => {
  it("reach only the documents of their own jobs, and attach new ones only to those", async () => {
    const acme = await registerCompany({ admin_email: "docs-owner@acme.example" });
    const owner = await companyOwner(acme.company_id, "docs-owner@acme.example");
    const installer = await companyMember(owner, acme.company_id, "docs-fitter@acme.example", "installer");
    const fitter = (
      await env.CENTRAL_DB.prepare("SELECT id FROM user WHERE email = 'docs-fitter@acme.example'").first<{
        id: string;
      }>()
    )?.id;
    const room = await json<{ showroom: { id: string } }>(
      await callAsOperator(`/api/admin/companies/${acme.company_id}/showrooms`, {
        body: { name: "Leeds", type: "retail" },
      }),
    );
    const newJob = async (assignments: Record<string, string>) =>
      (
        await json<{ project: { id: string } }>(
          await callAsOperator(`/api/admin/companies/${acme.company_id}/projects`, {
            body: { title: "Job", client: { name: "C" }, showroom_id: room.showroom.id, assignments },
          }),
        )
      ).project.id;
    const mine = await newJob({ installer: fitter ?? "" });
    const other = await newJob({});
    const theirs = await upload(acme.company_id, "other.pdf", pdfBytes(100), { project_id: other });
    const own = await upload(acme.company_id, "own.pdf", pdfBytes(100), { project_id: mine });
    const asInstaller = (path: string, init: { method?: string; body?: unknown } = {}) =>
      call(path, { ...init, headers: { cookie: installer } });

    const listed = await json<{ documents: Document[] }>(await asInstaller(base(acme.company_id)));
    expect(listed.documents.map((d) => d.id)).toEqual([own.id]);
    await expectError(
      await asInstaller(`${base(acme.company_id)}/${theirs.id}/content`),
      404,
      "DOCUMENT_NOT_FOUND",
    );
    await expectError(await asInstaller(`${base(acme.company_id)}/${theirs.id}`), 404, "DOCUMENT_NOT_FOUND");
    expect((await asInstaller(`${base(acme.company_id)}/${own.id}/content`)).status).toBe(200);
    await expectError(
      await asInstaller(base(acme.company_id), {
        method: "POST",
        body: { name: "x.pdf", size: 10, project_id: other },
      }),
      404,
      "PROJECT_NOT_FOUND",
    );
    expect(
      (
        await asInstaller(base(acme.company_id), {
          method: "POST",
          body: { name: "x.pdf", size: 10, project_id: mine },
        })
      ).status,
    ).toBe(201);
    // Signing a link is reading: their own job's documents only.
    await expectError(
      await asInstaller(`${base(acme.company_id)}/${theirs.id}/link`, { method: "POST", body: {} }),
      404,
      "DOCUMENT_NOT_FOUND",
    );
    expect(
      (await asInstaller(`${base(acme.company_id)}/${own.id}/link`, { method: "POST", body: {} })).status,
    ).toBe(200);
    // Moving their document into someone else's job would write to that job.
    await expectError(
      await asInstaller(`${base(acme.company_id)}/${own.id}`, {
        method: "PATCH",
        body: { project_id: other },
      }),
      404,
      "PROJECT_NOT_FOUND",
    );
    const kept = await json<{ document: Document }>(
      await callAsOperator(`${base(acme.company_id)}/${own.id}`),
    );
    expect(kept.document.project_id).toBe(mine);
  });
});
