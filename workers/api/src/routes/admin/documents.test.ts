// The document library against real R2 (DOCUMENTS) and the company's real tenant D1.
import { env } from "cloudflare:workers";
import type { Document } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  BASE_URL,
  call,
  callAsOperator,
  callRaw,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { signInstallationToken } from "../../../test/installation-tokens.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { getConfig } from "../../env.ts";
import { documentLinkUrl } from "../../services/documents/links.ts";
import { purgeDocuments } from "../../services/documents/purge.ts";

const MiB = 1024 * 1024;

function pdfBytes(length: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
  return bytes;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

const base = (companyId: string) => `/api/admin/companies/${companyId}/documents`;

function putBytes(path: string, bytes: Uint8Array, token = env.NEXUS_ADMIN_SECRET): Promise<Response> {
  return callRaw(path, { body: bytes, token });
}

interface Declared {
  document: Document;
  part_size: number;
  parts: { part_number: number; size: number }[];
}

async function declare(companyId: string, body: Record<string, unknown>, token?: string): Promise<Response> {
  return call(base(companyId), { body, token: token ?? env.NEXUS_ADMIN_SECRET });
}

async function upload(
  companyId: string,
  name: string,
  bytes: Uint8Array,
  extra: Record<string, unknown> = {},
) {
  const declared = await declare(companyId, { name, size: bytes.byteLength, ...extra });
  expect(declared.status, await declared.clone().text()).toBe(201);
  const { document } = await json<Declared>(declared);
  const stored = await putBytes(`${base(companyId)}/${document.id}/content`, bytes);
  expect(stored.status, await stored.clone().text()).toBe(200);
  return (await json<{ document: Document }>(stored)).document;
}

const download = (companyId: string, id: string, headers: Record<string, string> = {}) =>
  call(`${base(companyId)}/${id}/content`, { headers, token: env.NEXUS_ADMIN_SECRET });

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

  it("handles hostile and unusual names without a 500", async () => {
    const company = await registerCompany();
    for (const name of [
      "../../etc/passwd.pdf",
      "a\u0000b.pdf",
      `${"x".repeat(300)}.pdf`,
      "dir\\file.pdf",
      "line\nbreak.pdf",
    ]) {
      await expectError(await declare(company.company_id, { name, size: 10 }), 400, "VALIDATION_FAILED");
    }
    const unicode = 'Ünïcødé 报告 "quoted"; name.pdf';
    const document = await upload(company.company_id, unicode, pdfBytes(2000));
    expect(document.name).toBe(unicode);
    const response = await download(company.company_id, document.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(
      `filename*=UTF-8''${encodeURIComponent(unicode)}`,
    );
    const listed = await json<{ documents: Document[] }>(await callAsOperator(base(company.company_id)));
    expect(listed.documents.map((d) => d.name)).toEqual([unicode]);
  });
});

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

describe("quota", () => {
  it("refuses uploads past the tier's storage, even when racing", async () => {
    const company = await registerCompany();
    // Standard tier: 5 GiB. Declarations reserve space before any byte is sent.
    const GiB = 1024 * MiB;
    const big = { name: "scan.pdf", size: 2 * GiB, multipart: true };
    const results = await Promise.all([1, 2, 3].map(() => declare(company.company_id, big)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409]);
    const refused = results.find((r) => r.status === 409);
    if (!refused) throw new Error("no refusal");
    await expectError(refused, 409, "STORAGE_QUOTA_EXCEEDED");
    const listed = await json<{ usage: { used_bytes: number; quota_bytes: number } }>(
      await callAsOperator(base(company.company_id)),
    );
    expect(listed.usage).toEqual({ used_bytes: 4 * GiB, quota_bytes: 5 * GiB });
    await expectError(
      await declare(company.company_id, { name: "big.pdf", size: 96 * MiB }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
  });
});

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

describe("library", () => {
  it("lists with filters and a cursor, renames and retags, deletes softly and restores", async () => {
    const company = await registerCompany();
    const a = await upload(company.company_id, "a.pdf", pdfBytes(100), {
      tags: ["survey"],
      machine_id: "m-1",
    });
    const b = await upload(company.company_id, "b.txt", new TextEncoder().encode("notes, notes"), {
      project_id: "p-1",
    });
    const c = await upload(company.company_id, "c.pdf", pdfBytes(120), { tags: ["survey", "final"] });
    const list = async (query: string) =>
      await json<{ documents: Document[]; next_cursor: string | null }>(
        await callAsOperator(`${base(company.company_id)}?${query}`),
      );
    expect((await list("tag=survey")).documents.map((d) => d.id)).toEqual([c.id, a.id]);
    expect((await list("type=text")).documents.map((d) => d.id)).toEqual([b.id]);
    expect((await list("machine_id=m-1")).documents.map((d) => d.id)).toEqual([a.id]);
    expect((await list("project_id=p-1")).documents.map((d) => d.id)).toEqual([b.id]);
    const first = await list("limit=2");
    expect(first.documents.map((d) => d.id)).toEqual([c.id, b.id]);
    expect((await list(`limit=2&cursor=${first.next_cursor}`)).documents.map((d) => d.id)).toEqual([a.id]);

    const renamed = await callAsOperator(`${base(company.company_id)}/${a.id}`, {
      method: "PATCH",
      body: { name: "survey-final.pdf", tags: ["final"] },
    });
    expect((await json<{ document: Document }>(renamed)).document).toMatchObject({
      name: "survey-final.pdf",
      tags: ["final"],
    });
    await expectError(
      await callAsOperator(`${base(company.company_id)}/${a.id}`, {
        method: "PATCH",
        body: { name: "survey.exe" },
      }),
      415,
      "DOCUMENT_TYPE_NOT_ALLOWED",
    );

    const deleted = await callAsOperator(`${base(company.company_id)}/${a.id}`, { method: "DELETE" });
    expect((await json<{ document: Document }>(deleted)).document.purge_after).not.toBeNull();
    expect((await list("")).documents.map((d) => d.id)).toEqual([c.id, b.id]);
    expect((await list("deleted=true")).documents.map((d) => d.id)).toEqual([a.id]);
    await expectError(await download(company.company_id, a.id), 404, "DOCUMENT_NOT_FOUND");
    await callAsOperator(`${base(company.company_id)}/${a.id}/restore`, { method: "POST" });
    expect((await download(company.company_id, a.id)).status).toBe(200);

    const audit = await json<{ entries: { action: string }[] }>(
      await callAsOperator(`/api/admin/companies/${company.company_id}/audit-log?limit=50`),
    );
    const actions = audit.entries.map((entry) => entry.action);
    for (const action of ["document.uploaded", "document.updated", "document.deleted", "document.restored"]) {
      expect(actions).toContain(action);
    }
  });

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

describe("the purge", () => {
  it("removes documents past their restore window and abandoned uploads, bytes first, and audits it", async () => {
    const company = await registerCompany();
    const kept = await upload(company.company_id, "kept.pdf", pdfBytes(100));
    const gone = await upload(company.company_id, "gone.pdf", pdfBytes(100));
    await callAsOperator(`${base(company.company_id)}/${gone.id}`, { method: "DELETE" });
    const abandoned = await json<Declared>(
      await declare(company.company_id, { name: "half.pdf", size: 6 * MiB, multipart: true }),
    );
    const later = Date.now() + 31 * 86_400_000;
    const result = await purgeDocuments(env, later);
    expect(result).toMatchObject({ purged: 2, failed: 0 });
    expect(await env.DOCUMENTS.head(`companies/${company.company_id}/documents/${gone.id}`)).toBeNull();
    expect(await env.DOCUMENTS.head(`companies/${company.company_id}/documents/${kept.id}`)).not.toBeNull();
    await expectError(
      await callAsOperator(`${base(company.company_id)}/${gone.id}/restore`, { method: "POST" }),
      404,
      "DOCUMENT_NOT_FOUND",
    );
    await expectError(
      await callAsOperator(`${base(company.company_id)}/${abandoned.document.id}/parts`),
      404,
      "DOCUMENT_NOT_FOUND",
    );
    const listed = await json<{ usage: { used_bytes: number } }>(
      await callAsOperator(base(company.company_id)),
    );
    expect(listed.usage.used_bytes).toBe(100);
    const audit = await json<{ entries: { action: string; target_id: string }[] }>(
      await callAsOperator(`/api/admin/companies/${company.company_id}/audit-log?limit=50`),
    );
    expect(
      audit.entries
        .filter((e) => e.action.startsWith("document.purged") || e.action === "document.upload_abandoned")
        .map((e) => [e.action, e.target_id])
        .sort(),
    ).toEqual(
      [
        ["document.purged", gone.id],
        ["document.upload_abandoned", abandoned.document.id],
      ].sort(),
    );
  });
});

describe("installers' documents", () => {
  it("reach only the documents of their own jobs, and attach new ones only to those", async () => {
    const acme = await registerCompany({ admin_email: "docs-owner@acme.example" });
    const owner = await companyOwner(acme.company_id, "docs-owner@acme.example");
    const installer = await companyMember(owner, acme.company_id, "docs-fitter@acme.example", "installer");
    const fitter = (
      await env.CENTRAL_DB.prepare("SELECT id FROM user WHERE email = 'docs-fitter@acme.example'").first<{
        id: string;
      }>()
    )?.id;
    const room = await json<{ showroom: { id: string } }>(
      await callAsOperator(`/api/admin/companies/${acme.company_id}/showrooms`, {
        body: { name: "Leeds", type: "retail" },
      }),
    );
    const newJob = async (assignments: Record<string, string>) =>
      (
        await json<{ project: { id: string } }>(
          await callAsOperator(`/api/admin/companies/${acme.company_id}/projects`, {
            body: { title: "Job", client: { name: "C" }, showroom_id: room.showroom.id, assignments },
          }),
        )
      ).project.id;
    const mine = await newJob({ installer: fitter ?? "" });
    const other = await newJob({});
    const theirs = await upload(acme.company_id, "other.pdf", pdfBytes(100), { project_id: other });
    const own = await upload(acme.company_id, "own.pdf", pdfBytes(100), { project_id: mine });
    const asInstaller = (path: string, init: { method?: string; body?: unknown } = {}) =>
      call(path, { ...init, headers: { cookie: installer } });

    const listed = await json<{ documents: Document[] }>(await asInstaller(base(acme.company_id)));
    expect(listed.documents.map((d) => d.id)).toEqual([own.id]);
    await expectError(
      await asInstaller(`${base(acme.company_id)}/${theirs.id}/content`),
      404,
      "DOCUMENT_NOT_FOUND",
    );
    await expectError(await asInstaller(`${base(acme.company_id)}/${theirs.id}`), 404, "DOCUMENT_NOT_FOUND");
    expect((await asInstaller(`${base(acme.company_id)}/${own.id}/content`)).status).toBe(200);
    await expectError(
      await asInstaller(base(acme.company_id), {
        method: "POST",
        body: { name: "x.pdf", size: 10, project_id: other },
      }),
      404,
      "PROJECT_NOT_FOUND",
    );
    expect(
      (
        await asInstaller(base(acme.company_id), {
          method: "POST",
          body: { name: "x.pdf", size: 10, project_id: mine },
        })
      ).status,
    ).toBe(201);
    // Signing a link is reading: their own job's documents only.
    await expectError(
      await asInstaller(`${base(acme.company_id)}/${theirs.id}/link`, { method: "POST", body: {} }),
      404,
      "DOCUMENT_NOT_FOUND",
    );
    expect(
      (await asInstaller(`${base(acme.company_id)}/${own.id}/link`, { method: "POST", body: {} })).status,
    ).toBe(200);
    // Moving their document into someone else's job would write to that job.
    await expectError(
      await asInstaller(`${base(acme.company_id)}/${own.id}`, {
        method: "PATCH",
        body: { project_id: other },
      }),
      404,
      "PROJECT_NOT_FOUND",
    );
    const kept = await json<{ document: Document }>(
      await callAsOperator(`${base(acme.company_id)}/${own.id}`),
    );
    expect(kept.document.project_id).toBe(mine);
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

  it("refuses a correctly signed installation token without exp", async () => {
    const company = await registerCompany();
    const { installation } = await validatedMachine(company.company_code, "eternal-pc");
    const eternal = await signInstallationToken({
      installationId: installation.id,
      companyId: company.company_id,
      exp: null,
    });
    await expectError(await call(base(company.company_id), { token: eternal }), 401, "INVALID_TOKEN");
  });
});
