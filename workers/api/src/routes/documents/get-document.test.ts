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
import { base, declare, pdfBytes, upload } from "./fixtures.ts";

describe("library", () => {
  it("keeps each company's documents to itself", async () => {
    const acme = await registerCompany();
    const rival = await registerCompany();
    const document = await upload(acme.company_id, "secret.pdf", pdfBytes(500));
    const rivalPath = `${base(rival.company_id)}/${document.id}`;
    await expectError(await callAsOperator(rivalPath), 404, "DOCUMENT_NOT_FOUND");
    await expectError(await callAsOperator(`${rivalPath}/content`), 404, "DOCUMENT_NOT_FOUND");
    await expectError(
      await callAsOperator(rivalPath, { method: "PATCH", body: { tags: ["x"] } }),
      404,
      "DOCUMENT_NOT_FOUND",
    );
    await expectError(await callAsOperator(rivalPath, { method: "DELETE" }), 404, "DOCUMENT_NOT_FOUND");
    await expectError(await callAsOperator(`${rivalPath}/link`, { body: {} }), 404, "DOCUMENT_NOT_FOUND");
    // A rival's installation cannot reach Acme's library at all.
    const { installation } = await validatedMachine(rival.company_code, "rival-pc");
    await expectError(
      await call(`${base(acme.company_id)}/${document.id}/content`, { token: installation.token }),
      404,
      "COMPANY_NOT_FOUND",
    );
  });
});

describe("installations' documents", () => {
  it("reach the company library but no project's documents: not listed, read, downloaded, linked or written", async () => {
    const company = await registerCompany();
    const library = await upload(company.company_id, "handbook.pdf", pdfBytes(200));
    const project = await upload(company.company_id, "quote.pdf", pdfBytes(300), { project_id: "job-1" });
    const { installation } = await validatedMachine(company.company_code, "office-pc");
    const token = installation.token;
    const at = (id: string, tail = "") => `${base(company.company_id)}/${id}${tail}`;

    const listed = await json<{ documents: Document[] }>(await call(base(company.company_id), { token }));
    expect(listed.documents.map((d) => d.id)).toEqual([library.id]);
    const filtered = await json<{ documents: Document[] }>(
      await call(`${base(company.company_id)}?project_id=job-1`, { token }),
    );
    expect(filtered.documents).toEqual([]);
    await expectError(await call(at(project.id), { token }), 404, "DOCUMENT_NOT_FOUND");
    await expectError(await call(at(project.id, "/content"), { token }), 404, "DOCUMENT_NOT_FOUND");
    await expectError(
      await call(at(project.id, "/link"), { token, body: { expires_in_seconds: 900 } }),
      404,
      "DOCUMENT_NOT_FOUND",
    );
    await expectError(
      await call(at(project.id), { token, method: "PATCH", body: { name: "renamed.pdf" } }),
      404,
      "DOCUMENT_NOT_FOUND",
    );

    // The library works as before.
    expect((await call(at(library.id), { token })).status).toBe(200);
    const fetched = await call(at(library.id, "/content"), { token });
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(pdfBytes(200));
    const link = await call(at(library.id, "/link"), { token, body: { expires_in_seconds: 900 } });
    expect(link.status).toBe(200);

    // Nor can an installation add to a project, or move a library document into one.
    await expectError(
      await declare(company.company_id, { name: "x.pdf", size: 10, project_id: "job-1" }, token),
      404,
      "PROJECT_NOT_FOUND",
    );
    await expectError(
      await call(at(library.id), { token, method: "PATCH", body: { project_id: "job-1" } }),
      404,
      "PROJECT_NOT_FOUND",
    );
    expect((await declare(company.company_id, { name: "y.pdf", size: 10 }, token)).status).toBe(201);
  });
});
