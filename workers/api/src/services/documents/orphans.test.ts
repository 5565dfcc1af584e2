// Bytes in R2 never outlive their row: uploads whose D1 write fails are cleaned up at once (real
// faults: triggers in the real tenant D1 that refuse the write), and the daily purge sweeps each
// company's prefix for orphans older than the grace period.
import { env } from "cloudflare:workers";
import { type Document, SYNC_SCHEMA_VERSION } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  adminToken,
  callAsOperator,
  callRaw,
  callWithEnv,
  expectError,
  json,
  registerCompany,
} from "../../../test/helpers.ts";
import { tenantDatabase } from "../tenant-db.ts";
import { ORPHAN_GRACE_MS, purgeDocuments } from "./purge.ts";

const HOUR = 3_600_000;
const PDF = new TextEncoder().encode("%PDF-1.7\nhello orphans\n");
const base = (companyId: string) => `/api/admin/companies/${companyId}/documents`;
const keyOf = (companyId: string, documentId: string) => `companies/${companyId}/documents/${documentId}`;

async function declare(companyId: string, body: Record<string, unknown>) {
  const response = await callAsOperator(base(companyId), { body });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json<{ document: Document }>(response)).document;
}

async function uploaded(companyId: string, name: string) {
  const document = await declare(companyId, { name, size: PDF.byteLength });
  const stored = await callRaw(`${base(companyId)}/${document.id}/content`, {
    body: PDF,
    token: adminToken(),
  });
  expect(stored.status, await stored.clone().text()).toBe(200);
  return document;
}

/** A real fault: the tenant database refuses a statement until the trigger is dropped. */
async function refuse(db: D1Database, name: string, when: string) {
  await db
    .prepare(`CREATE TRIGGER ${name} ${when} BEGIN SELECT RAISE(ABORT, 'injected: D1 write failed'); END`)
    .run();
  return () => db.prepare(`DROP TRIGGER ${name}`).run();
}

/** The real DOCUMENTS bucket, remembering the multipart uploads created through it. */
function recordingBucket(created: R2MultipartUpload[]): R2Bucket {
  const bucket = env.DOCUMENTS;
  return new Proxy(bucket, {
    get(target, property) {
      if (property === "createMultipartUpload") {
        return async (key: string, options?: R2MultipartOptions) => {
          const upload = await target.createMultipartUpload(key, options);
          created.push(upload);
          return upload;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Whether R2 still takes parts for the upload (an aborted one refuses them). */
async function uploadAlive(upload: R2MultipartUpload): Promise<boolean> {
  try {
    await env.DOCUMENTS.resumeMultipartUpload(upload.key, upload.uploadId).uploadPart(1, PDF);
    return true;
  } catch {
    return false;
  }
}

describe("uploads whose D1 write fails", () => {
  it("delete the bytes of a single upload and answer 503, and the retry stores them", async () => {
    const company = await registerCompany();
    const document = await declare(company.company_id, { name: "report.pdf", size: PDF.byteLength });
    const key = keyOf(company.company_id, document.id);
    const db = await tenantDatabase(env, company.company_id);
    const restore = await refuse(
      db,
      "refuse_ready",
      "BEFORE UPDATE OF status ON documents WHEN NEW.status = 'ready'",
    );
    try {
      const failed = await callRaw(`${base(company.company_id)}/${document.id}/content`, {
        body: PDF,
        token: adminToken(),
      });
      const error = await expectError(failed, 503, "SERVICE_UNAVAILABLE");
      expect(error.message).toContain("Send them again");
      expect(await env.DOCUMENTS.head(key)).toBeNull();
    } finally {
      await restore();
    }
    const retried = await callRaw(`${base(company.company_id)}/${document.id}/content`, {
      body: PDF,
      token: adminToken(),
    });
    expect(retried.status, await retried.clone().text()).toBe(200);
    expect(await env.DOCUMENTS.head(key)).not.toBeNull();
  });

  it("leave nothing when the upload is aborted while its bytes are on the way", async () => {
    const company = await registerCompany();
    const document = await declare(company.company_id, { name: "race.pdf", size: PDF.byteLength });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(PDF.subarray(0, 10));
        await held;
        controller.enqueue(PDF.subarray(10));
        controller.close();
      },
    });
    const putting = callRaw(`${base(company.company_id)}/${document.id}/content`, {
      body,
      length: PDF.byteLength,
      token: adminToken(),
    });
    // The PUT has read its row and is streaming; the abort deletes the row (and no bytes yet).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const aborted = await callAsOperator(`${base(company.company_id)}/${document.id}/upload`, {
      method: "DELETE",
    });
    expect(aborted.status, await aborted.clone().text()).toBe(200);
    release();
    await expectError(await putting, 404, "DOCUMENT_NOT_FOUND");
    expect(await env.DOCUMENTS.head(keyOf(company.company_id, document.id))).toBeNull();
  });

  it("abort a declared multipart upload whose row could not be written", async () => {
    const company = await registerCompany();
    const db = await tenantDatabase(env, company.company_id);
    const created: R2MultipartUpload[] = [];
    const restore = await refuse(db, "refuse_declare", "BEFORE INSERT ON documents");
    try {
      const failed = await callWithEnv({ DOCUMENTS: recordingBucket(created) }, base(company.company_id), {
        token: adminToken(),
        body: { name: "big.pdf", size: 12 * 1024 * 1024, multipart: true },
      });
      expect(failed.status).toBe(500);
      expect(await json(failed)).toMatchObject({ success: false, error: { code: "INTERNAL_ERROR" } });
    } finally {
      await restore();
    }
    expect(created).toHaveLength(1);
    for (const upload of created) expect(await uploadAlive(upload)).toBe(false);
  });

  it("abort a synced photo's multipart upload when its row is not written, and keep it when it is", async () => {
    const company = await registerCompany();
    const showroom = await json<{ showroom: { id: string } }>(
      await callAsOperator(`/api/admin/companies/${company.company_id}/showrooms`, {
        body: { name: "Leeds", type: "retail" },
      }),
    );
    const project = await json<{ project: { id: string } }>(
      await callAsOperator(`/api/admin/companies/${company.company_id}/projects`, {
        body: { title: "Kitchen", client: { name: "Client" }, showroom_id: showroom.showroom.id },
      }),
    );
    const push = (created: R2MultipartUpload[], mutationId: number) =>
      callWithEnv({ DOCUMENTS: recordingBucket(created) }, "/api/sync/push", {
        token: adminToken(),
        body: {
          schema_version: SYNC_SCHEMA_VERSION,
          company_id: company.company_id,
          device_id: "device-orphans-1",
          mutations: [
            {
              id: mutationId,
              name: "photo.register",
              args: {
                id: crypto.randomUUID(),
                job_id: project.project.id,
                name: "site.jpg",
                size: 1000,
                sha256: "a".repeat(64),
              },
            },
          ],
        },
      });
    const db = await tenantDatabase(env, company.company_id);
    const failedUploads: R2MultipartUpload[] = [];
    const restore = await refuse(db, "refuse_photo", "BEFORE INSERT ON documents");
    try {
      const failed = await push(failedUploads, 1);
      expect(failed.status).toBe(500);
      expect(await json(failed)).toMatchObject({ success: false, error: { code: "INTERNAL_ERROR" } });
    } finally {
      await restore();
    }
    expect(failedUploads).toHaveLength(1);
    for (const upload of failedUploads) expect(await uploadAlive(upload)).toBe(false);
    // The device pushes again: this time the row is written and its upload stays open for the bytes.
    const keptUploads: R2MultipartUpload[] = [];
    const pushed = await push(keptUploads, 1);
    expect(pushed.status, await pushed.clone().text()).toBe(200);
    expect(await json(pushed)).toMatchObject({ last_mutation_id: 1, rejected: [] });
    expect(keptUploads).toHaveLength(1);
    for (const upload of keptUploads) expect(await uploadAlive(upload)).toBe(true);
  });
});

describe("the purge's orphan sweep", () => {
  it("deletes objects no row names once past the grace period, page by page, and keeps the rest", async () => {
    const company = await registerCompany();
    const other = await registerCompany();
    const live = await uploaded(company.company_id, "live.pdf");
    const otherLive = await uploaded(other.company_id, "theirs.pdf");
    // The aftermath of uploads whose D1 write and cleanup both failed: bytes without rows, more than
    // one page of R2's listing.
    const orphanKeys = Array.from({ length: 1005 }, () => keyOf(company.company_id, crypto.randomUUID()));
    for (let i = 0; i < orphanKeys.length; i += 100) {
      await Promise.all(orphanKeys.slice(i, i + 100).map((key) => env.DOCUMENTS.put(key, PDF)));
    }
    const stranded = keyOf(company.company_id, "not-an-id/oddly-nested");
    await env.DOCUMENTS.put(stranded, PDF);

    // Within the grace period (an upload may still be settling): nothing is touched.
    const early = await purgeDocuments(env, Date.now() + ORPHAN_GRACE_MS - HOUR);
    expect(early).toMatchObject({ orphans: 0, failed: 0 });
    expect(await env.DOCUMENTS.head(orphanKeys[0] ?? "")).not.toBeNull();

    const later = await purgeDocuments(env, Date.now() + ORPHAN_GRACE_MS + HOUR);
    expect(later).toMatchObject({ orphans: orphanKeys.length + 1, failed: 0 });
    const left = await env.DOCUMENTS.list({ prefix: `companies/${company.company_id}/` });
    expect(left.objects.map((object) => object.key)).toEqual([keyOf(company.company_id, live.id)]);
    expect(await env.DOCUMENTS.head(keyOf(other.company_id, otherLive.id))).not.toBeNull();
    // The live document still downloads.
    const download = await callAsOperator(`${base(company.company_id)}/${live.id}/content`);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PDF);
  }, 60_000);
});
