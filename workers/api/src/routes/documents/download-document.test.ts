import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectError, registerCompany } from "../../../test/helpers.ts";
import { base, download, pdfBytes, sha256Hex, upload } from "./fixtures.ts";

describe("single uploads and downloads", () => {
  it("round-trips the bytes exactly, with ETag, 304 and a single range", async () => {
    const company = await registerCompany();
    const bytes = pdfBytes(300_000);
    const document = await upload(company.company_id, "Survey report.pdf", bytes, {
      tags: ["survey", "site-a"],
    });
    expect(document).toMatchObject({
      status: "ready",
      type: "pdf",
      size: 300_000,
      sha256: await sha256Hex(bytes),
    });

    const full = await download(company.company_id, document.id);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("application/pdf");
    expect(full.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await full.arrayBuffer())).toEqual(bytes);
    const etag = full.headers.get("etag") ?? "";
    expect(etag).toBe(`"${document.sha256}"`);

    expect((await download(company.company_id, document.id, { "if-none-match": etag })).status).toBe(304);
    const part = await download(company.company_id, document.id, { range: "bytes=1000-1999" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 1000-1999/300000");
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(1000, 2000));
    await expectError(
      await download(company.company_id, document.id, { range: "bytes=400000-" }),
      416,
      "RANGE_NOT_SATISFIABLE",
    );
  });
});

describe("HEAD on a download", () => {
  it("answers the headers of the file without its bytes, and 404 for another company's document", async () => {
    const company = await registerCompany();
    const document = await upload(company.company_id, "spec.pdf", pdfBytes(4000));
    const head = await call(`${base(company.company_id)}/${document.id}/content`, {
      method: "HEAD",
      token: env.NEXUS_ADMIN_SECRET,
    });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(`"${document.sha256}"`);
    expect(head.headers.get("content-length")).toBe("4000");
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const rival = await registerCompany();
    const probe = await call(`${base(rival.company_id)}/${document.id}/content`, {
      method: "HEAD",
      token: env.NEXUS_ADMIN_SECRET,
    });
    expect(probe.status).toBe(404);
  });
});
