import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { base, type Declared, declare, MiB, pdfBytes, putBytes } from "./fixtures.ts";

describe("listing an upload's parts", () => {
  it("shows the parts received so far and the part size, to this company only", async () => {
    const company = await registerCompany();
    const { document, part_size } = await json<Declared>(
      await declare(company.company_id, { name: "drawings.pdf", size: 6 * MiB, multipart: true }),
    );
    expect(part_size).toBe(5 * MiB);
    const parts = `${base(company.company_id)}/${document.id}/parts`;
    expect((await json<Declared>(await callAsOperator(parts))).parts).toEqual([]);
    // The last part (1 MiB) arrives first: a resumed upload sends parts in any order.
    expect((await putBytes(`${parts}/2`, pdfBytes(MiB))).status).toBe(200);
    const listed = await json<Declared>(await callAsOperator(parts));
    expect(listed.parts).toEqual([{ part_number: 2, size: MiB }]);
    expect(listed.document).toMatchObject({ id: document.id, status: "uploading", sha256: null });

    const rival = await registerCompany();
    await expectError(
      await callAsOperator(`${base(rival.company_id)}/${document.id}/parts`),
      404,
      "DOCUMENT_NOT_FOUND",
    );
  });

  it("answers a single upload with its whole size as the one part", async () => {
    const company = await registerCompany();
    const { document } = await json<Declared>(
      await declare(company.company_id, { name: "a.pdf", size: 1234 }),
    );
    const listed = await json<Declared>(
      await callAsOperator(`${base(company.company_id)}/${document.id}/parts`),
    );
    expect(listed).toMatchObject({ part_size: 1234, parts: [] });
  });
});
