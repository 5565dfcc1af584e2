import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE_URL, call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { getConfig } from "../../env.ts";
import { documentLinkUrl } from "../../services/documents/links.ts";
import { base, pdfBytes, upload } from "./fixtures.ts";

describe("signed links", () => {
  it("open without a session until they expire, and stop working after deletion", async () => {
    const company = await registerCompany();
    const bytes = pdfBytes(5000);
    const document = await upload(company.company_id, "quote.pdf", bytes);
    const linked = await json<{ url: string; expires_at: string }>(
      await callAsOperator(`${base(company.company_id)}/${document.id}/link`, {
        body: { expires_in_seconds: 600 },
      }),
    );
    const path = linked.url.replace(getConfig(env).PUBLIC_URL, "").replace(BASE_URL, "");
    const opened = await call(path);
    expect(opened.status).toBe(200);
    expect(new Uint8Array(await opened.arrayBuffer())).toEqual(bytes);

    const tampered = path.replace(
      /signature=v1\.(.)/,
      (_, c: string) => `signature=v1.${c === "A" ? "B" : "A"}`,
    );
    await expectError(await call(tampered), 403, "DOCUMENT_LINK_INVALID");
    const longer = path.replace(/expires=\d+/, (m) => `expires=${Number(m.slice(8)) + 3600}`);
    await expectError(await call(longer), 403, "DOCUMENT_LINK_INVALID");
    const expired = await documentLinkUrl(
      getConfig(env),
      company.company_id,
      document.id,
      Math.floor(Date.now() / 1000) - 1,
    );
    await expectError(
      await call(new URL(expired).pathname + new URL(expired).search),
      403,
      "DOCUMENT_LINK_INVALID",
    );
    // The same signature does not open the document under another company's path.
    const other = await registerCompany();
    await expectError(
      await call(path.replace(company.company_id, other.company_id)),
      403,
      "DOCUMENT_LINK_INVALID",
    );

    await call(`${base(company.company_id)}/${document.id}`, {
      method: "DELETE",
      token: env.NEXUS_ADMIN_SECRET,
    });
    await expectError(await call(path), 404, "DOCUMENT_NOT_FOUND");
  });
});
