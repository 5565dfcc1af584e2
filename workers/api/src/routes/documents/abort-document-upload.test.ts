import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { base, type Declared, declare, MiB, pdfBytes, putBytes, upload } from "./fixtures.ts";

const usedBytes = async (companyId: string) =>
  (await json<{ usage: { used_bytes: number } }>(await callAsOperator(base(companyId)))).usage.used_bytes;

describe("aborting an upload", () => {
  it("discards its parts and row and frees its reservation", async () => {
    const company = await registerCompany();
    const { document } = await json<Declared>(
      await declare(company.company_id, { name: "plans.pdf", size: 6 * MiB, multipart: true }),
    );
    const at = `${base(company.company_id)}/${document.id}`;
    expect((await putBytes(`${at}/parts/1`, pdfBytes(5 * MiB))).status).toBe(200);
    expect(await usedBytes(company.company_id)).toBe(6 * MiB);

    const aborted = await callAsOperator(`${at}/upload`, { method: "DELETE" });
    expect(aborted.status).toBe(200);
    expect((await json<Declared>(aborted)).document).toMatchObject({ id: document.id, status: "uploading" });
    expect(await usedBytes(company.company_id)).toBe(0);
    await expectError(await callAsOperator(`${at}/parts`), 404, "DOCUMENT_NOT_FOUND");
    await expectError(await callAsOperator(`${at}/upload`, { method: "DELETE" }), 404, "DOCUMENT_NOT_FOUND");
  });

  it("refuses a finished upload, which is deleted instead, and keeps its bytes", async () => {
    const company = await registerCompany();
    const document = await upload(company.company_id, "done.pdf", pdfBytes(500));
    await expectError(
      await callAsOperator(`${base(company.company_id)}/${document.id}/upload`, { method: "DELETE" }),
      409,
      "DOCUMENT_STATE_CONFLICT",
    );
    expect(
      await env.DOCUMENTS.head(`companies/${company.company_id}/documents/${document.id}`),
    ).not.toBeNull();
  });
});
