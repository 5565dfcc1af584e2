import { describe, it } from "vitest";
import { expectError, json, registerCompany } from "../../../test/helpers.ts";
import { base, type Declared, declare, MiB, putBytes } from "./fixtures.ts";

describe("multipart uploads", () => {
  it("refuses a first part whose bytes do not match the name", async () => {
    const company = await registerCompany();
    const fake = new Uint8Array(6 * MiB);
    fake.set([0x7f, 0x45, 0x4c, 0x46]); // ELF
    const { document, part_size } = await json<Declared>(
      await declare(company.company_id, { name: "manual.pdf", size: fake.byteLength, multipart: true }),
    );
    await expectError(
      await putBytes(`${base(company.company_id)}/${document.id}/parts/1`, fake.subarray(0, part_size)),
      415,
      "DOCUMENT_TYPE_NOT_ALLOWED",
    );
  });
});
