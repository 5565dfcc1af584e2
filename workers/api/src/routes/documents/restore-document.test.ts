import type { Document } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { base, pdfBytes, upload } from "./fixtures.ts";

describe("restoring a document", () => {
  it("brings a deleted document back once; restoring one that is not deleted changes nothing", async () => {
    const company = await registerCompany();
    const document = await upload(company.company_id, "contract.pdf", pdfBytes(200));
    const at = `${base(company.company_id)}/${document.id}`;
    const restore = () => callAsOperator(`${at}/restore`, { method: "POST" });

    const untouched = await json<{ document: Document }>(await restore());
    expect(untouched.document).toEqual(document);
    await callAsOperator(at, { method: "DELETE" });
    const restored = await json<{ document: Document }>(await restore());
    expect(restored.document).toMatchObject({ id: document.id, deleted_at: null, purge_after: null });
    expect((await callAsOperator(at)).status).toBe(200);

    const audit = await json<{ entries: { action: string }[] }>(
      await callAsOperator(`/api/admin/companies/${company.company_id}/audit-log?limit=50`),
    );
    expect(audit.entries.filter((e) => e.action === "document.restored")).toHaveLength(1);
    await expectError(
      await callAsOperator(`${base(company.company_id)}/no-such-document/restore`, { method: "POST" }),
      404,
      "DOCUMENT_NOT_FOUND",
    );
  });
});
