import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { base, type Declared, declare, pdfBytes, upload } from "./fixtures.ts";

describe("creating a document link", () => {
  it("signs a link for 15 minutes by default, within the allowed range, for finished uploads only", async () => {
    const company = await registerCompany();
    const document = await upload(company.company_id, "brochure.pdf", pdfBytes(400));
    const link = (id: string, body: unknown) =>
      callAsOperator(`${base(company.company_id)}/${id}/link`, { body });

    const linked = await json<{ url: string; expires_at: string }>(await link(document.id, {}));
    expect(Math.abs(Date.parse(linked.expires_at) - (Date.now() + 15 * 60_000))).toBeLessThan(5000);
    const url = new URL(linked.url);
    expect(url.pathname).toBe(`/api/documents/shared/${company.company_id}/${document.id}`);
    expect(url.searchParams.get("signature")).toMatch(/^v\d+\./);
    await expectError(await link(document.id, { expires_in_seconds: 30 }), 400, "VALIDATION_FAILED");

    const unfinished = await json<Declared>(
      await declare(company.company_id, { name: "draft.pdf", size: 10 }),
    );
    await expectError(await link(unfinished.document.id, {}), 404, "DOCUMENT_NOT_FOUND");

    const audit = await json<{ entries: { action: string; target_id: string }[] }>(
      await callAsOperator(`/api/admin/companies/${company.company_id}/audit-log?limit=50`),
    );
    expect(audit.entries.filter((e) => e.action === "document.link_created").map((e) => e.target_id)).toEqual(
      [document.id],
    );
  });
});
