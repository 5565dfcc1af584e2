import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { base, type Declared, declare, MiB, pdfBytes, upload } from "../../routes/documents/fixtures.ts";
import { purgeDocuments } from "../../services/documents/purge.ts";

describe("the purge", () => {
  it("removes documents past their restore window and abandoned uploads, bytes first, and audits it", async () => {
    const company = await registerCompany();
    const kept = await upload(company.company_id, "kept.pdf", pdfBytes(100));
    const gone = await upload(company.company_id, "gone.pdf", pdfBytes(100));
    await callAsOperator(`${base(company.company_id)}/${gone.id}`, { method: "DELETE" });
    const abandoned = await json<Declared>(
      await declare(company.company_id, { name: "half.pdf", size: 6 * MiB, multipart: true }),
    );
    const later = Date.now() + 31 * 86_400_000;
    const result = await purgeDocuments(env, later);
    expect(result).toMatchObject({ purged: 2, failed: 0 });
    expect(await env.DOCUMENTS.head(`companies/${company.company_id}/documents/${gone.id}`)).toBeNull();
    expect(await env.DOCUMENTS.head(`companies/${company.company_id}/documents/${kept.id}`)).not.toBeNull();
    await expectError(
      await callAsOperator(`${base(company.company_id)}/${gone.id}/restore`, { method: "POST" }),
      404,
      "DOCUMENT_NOT_FOUND",
    );
    await expectError(
      await callAsOperator(`${base(company.company_id)}/${abandoned.document.id}/parts`),
      404,
      "DOCUMENT_NOT_FOUND",
    );
    const listed = await json<{ usage: { used_bytes: number } }>(
      await callAsOperator(base(company.company_id)),
    );
    expect(listed.usage.used_bytes).toBe(100);
    const audit = await json<{ entries: { action: string; target_id: string }[] }>(
      await callAsOperator(`/api/admin/companies/${company.company_id}/audit-log?limit=50`),
    );
    expect(
      audit.entries
        .filter((e) => e.action.startsWith("document.purged") || e.action === "document.upload_abandoned")
        .map((e) => [e.action, e.target_id])
        .sort(),
    ).toEqual(
      [
        ["document.purged", gone.id],
        ["document.upload_abandoned", abandoned.document.id],
      ].sort(),
    );
  });
});
