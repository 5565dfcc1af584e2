import type { Document } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { base, type Declared, declare, pdfBytes, upload } from "./fixtures.ts";

describe("deleting a document", () => {
  it("keeps it restorable for 30 days and hides it; an unfinished upload is aborted instead", async () => {
    const company = await registerCompany();
    const document = await upload(company.company_id, "old-quote.pdf", pdfBytes(200));
    const at = `${base(company.company_id)}/${document.id}`;
    const deleted = await json<{ document: Document }>(await callAsOperator(at, { method: "DELETE" }));
    expect(deleted.document.deleted_at).not.toBeNull();
    const window =
      Date.parse(deleted.document.purge_after ?? "") - Date.parse(deleted.document.deleted_at ?? "");
    expect(window).toBe(30 * 86_400_000);
    await expectError(await callAsOperator(at), 404, "DOCUMENT_NOT_FOUND");
    await expectError(await callAsOperator(at, { method: "DELETE" }), 404, "DOCUMENT_NOT_FOUND");

    const unfinished = await json<Declared>(await declare(company.company_id, { name: "b.pdf", size: 10 }));
    await expectError(
      await callAsOperator(`${base(company.company_id)}/${unfinished.document.id}`, { method: "DELETE" }),
      409,
      "DOCUMENT_STATE_CONFLICT",
    );
  });
});
