import type { Document } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { base, pdfBytes, upload } from "./fixtures.ts";

describe("updating a document", () => {
  it("links and unlinks a machine, retags, audits the change, and refuses an empty change", async () => {
    const company = await registerCompany();
    const document = await upload(company.company_id, "manual.pdf", pdfBytes(300), { tags: ["old"] });
    const at = `${base(company.company_id)}/${document.id}`;
    const patch = (body: unknown) => callAsOperator(at, { method: "PATCH", body });

    const linked = await json<{ document: Document }>(await patch({ machine_id: "m-7", tags: ["manual"] }));
    expect(linked.document).toMatchObject({ name: "manual.pdf", machine_id: "m-7", tags: ["manual"] });
    const unlinked = await json<{ document: Document }>(await patch({ machine_id: null }));
    expect(unlinked.document).toMatchObject({ machine_id: null, tags: ["manual"] });
    await expectError(await patch({}), 400, "VALIDATION_FAILED");

    const audit = await json<{ entries: { action: string; target_id: string }[] }>(
      await callAsOperator(`/api/admin/companies/${company.company_id}/audit-log?limit=50`),
    );
    expect(audit.entries.filter((e) => e.action === "document.updated").map((e) => e.target_id)).toEqual([
      document.id,
      document.id,
    ]);
  });

  it("does not reach a deleted document", async () => {
    const company = await registerCompany();
    const document = await upload(company.company_id, "gone.pdf", pdfBytes(100));
    const at = `${base(company.company_id)}/${document.id}`;
    await callAsOperator(at, { method: "DELETE" });
    await expectError(
      await callAsOperator(at, { method: "PATCH", body: { name: "back.pdf" } }),
      404,
      "DOCUMENT_NOT_FOUND",
    );
  });
});
