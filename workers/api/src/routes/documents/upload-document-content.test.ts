import { env } from "cloudflare:workers";
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
import { base, type Declared, declare, pdfBytes, putBytes, sha256Hex } from "./fixtures.ts";

describe("single uploads and downloads", () => {
  it("refuses bytes that are not what the name says, and types the company does not allow", async () => {
    const company = await registerCompany();
    // An executable renamed .pdf: declared fine (by name), refused when its bytes arrive.
    const exe = new Uint8Array(4096);
    exe.set(new TextEncoder().encode("MZ\x90\x00"));
    const declared = await json<Declared>(
      await declare(company.company_id, { name: "invoice.pdf", size: exe.byteLength }),
    );
    await expectError(
      await putBytes(`${base(company.company_id)}/${declared.document.id}/content`, exe),
      415,
      "DOCUMENT_TYPE_NOT_ALLOWED",
    );
    expect(
      await env.DOCUMENTS.head(`companies/${company.company_id}/documents/${declared.document.id}`),
    ).toBeNull();
    await expectError(
      await declare(company.company_id, { name: "setup.exe", size: 10 }),
      415,
      "DOCUMENT_TYPE_NOT_ALLOWED",
    );
    // Archives are off by default; a company can allow them (and narrow the list).
    await expectError(
      await declare(company.company_id, { name: "photos.zip", size: 10 }),
      415,
      "DOCUMENT_TYPE_NOT_ALLOWED",
    );
    await callAsOperator(`/api/admin/companies/${company.company_id}/settings`, {
      method: "PUT",
      body: { settings: { document_types: ["archive"] } },
    });
    expect((await declare(company.company_id, { name: "photos.zip", size: 10 })).status).toBe(201);
    await expectError(
      await declare(company.company_id, { name: "report.pdf", size: 10 }),
      415,
      "DOCUMENT_TYPE_NOT_ALLOWED",
    );
  });

  it("checks a declared sha256 and stores nothing on a mismatch", async () => {
    const company = await registerCompany();
    const bytes = pdfBytes(10_000);
    const wrong = await sha256Hex(pdfBytes(10_000, 99));
    const declared = await json<Declared>(
      await declare(company.company_id, { name: "a.pdf", size: bytes.byteLength, sha256: wrong }),
    );
    await expectError(
      await putBytes(`${base(company.company_id)}/${declared.document.id}/content`, bytes),
      422,
      "CHECKSUM_MISMATCH",
    );
    expect(
      await env.DOCUMENTS.head(`companies/${company.company_id}/documents/${declared.document.id}`),
    ).toBeNull();
    // The same upload can be sent again with the right bytes? No: the declared checksum stays, so the
    // uploader declares again. The first declaration still holds its reservation until aborted.
    const aborted = await call(`${base(company.company_id)}/${declared.document.id}/upload`, {
      method: "DELETE",
      token: env.NEXUS_ADMIN_SECRET,
    });
    expect(aborted.status).toBe(200);
  });
});

describe("library", () => {
  it("lets the company's installations upload and download", async () => {
    const company = await registerCompany();
    const { installation } = await validatedMachine(company.company_code, "field-phone");
    const bytes = pdfBytes(800);
    const declared = await json<Declared>(
      await declare(company.company_id, { name: "checkin.pdf", size: 800 }, installation.token),
    );
    const stored = await putBytes(
      `${base(company.company_id)}/${declared.document.id}/content`,
      bytes,
      installation.token,
    );
    expect((await json<{ document: Document }>(stored)).document.uploaded_by).toEqual({
      type: "installation",
      id: installation.id,
    });
    const fetched = await call(`${base(company.company_id)}/${declared.document.id}/content`, {
      token: installation.token,
    });
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(bytes);
    // Deleting needs documents:delete, which installations do not have.
    await expectError(
      await call(`${base(company.company_id)}/${declared.document.id}`, {
        method: "DELETE",
        token: installation.token,
      }),
      401,
      "UNAUTHORIZED",
    );
  });
});
