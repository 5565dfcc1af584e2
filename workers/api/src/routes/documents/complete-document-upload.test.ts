import { env } from "cloudflare:workers";
import type { Document } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callRaw, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { base, type Declared, declare, download, MiB, pdfBytes, putBytes, sha256Hex } from "./fixtures.ts";

describe("multipart uploads", () => {
  it("resumes after an interrupted part and assembles the exact bytes", { timeout: 60_000 }, async () => {
    const company = await registerCompany();
    const bytes = pdfBytes(12 * MiB);
    const created = await declare(company.company_id, {
      name: "site-photos.pdf",
      size: bytes.byteLength,
      sha256: await sha256Hex(bytes),
      multipart: true,
    });
    expect(created.status).toBe(201);
    const { document, part_size } = await json<Declared>(created);
    expect(part_size).toBe(5 * MiB);
    const partPath = (n: number) => `${base(company.company_id)}/${document.id}/parts/${n}`;
    const partBytes = (n: number) =>
      bytes.subarray((n - 1) * part_size, Math.min(n * part_size, bytes.byteLength));

    expect((await putBytes(partPath(1), partBytes(1))).status).toBe(200);
    // Part 2 is cut off half way (the phone lost its connection): refused, nothing recorded.
    const cut = await callRaw(partPath(2), {
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(partBytes(2).subarray(0, part_size / 2));
          controller.error(new Error("connection lost"));
        },
      }),
      length: part_size,
      token: env.NEXUS_ADMIN_SECRET,
    });
    expect(cut.status).toBeGreaterThanOrEqual(400);
    expect(cut.status).toBeLessThan(500);
    const listed = await json<Declared>(
      await call(`${base(company.company_id)}/${document.id}/parts`, { token: env.NEXUS_ADMIN_SECRET }),
    );
    expect(listed.parts.map((p) => p.part_number)).toEqual([1]);
    await expectError(
      await call(`${base(company.company_id)}/${document.id}/complete`, {
        method: "POST",
        token: env.NEXUS_ADMIN_SECRET,
      }),
      409,
      "DOCUMENT_STATE_CONFLICT",
    );

    // Resumed: only the missing parts are sent, the last one short.
    expect((await putBytes(partPath(3), partBytes(3))).status).toBe(200);
    expect((await putBytes(partPath(2), partBytes(2))).status).toBe(200);
    await expectError(await putBytes(partPath(4), partBytes(3)), 400, "VALIDATION_FAILED");
    const completed = await call(`${base(company.company_id)}/${document.id}/complete`, {
      method: "POST",
      token: env.NEXUS_ADMIN_SECRET,
    });
    expect(completed.status, await completed.clone().text()).toBe(200);
    expect((await json<{ document: Document }>(completed)).document).toMatchObject({
      status: "ready",
      sha256: await sha256Hex(bytes),
    });
    expect(new Uint8Array(await (await download(company.company_id, document.id)).arrayBuffer())).toEqual(
      bytes,
    );
  });
});
