import { describe, expect, it } from "vitest";
import { BASE_URL, errorEnvelope, joinedInstallation, rejection, toWorker } from "../test/harness.ts";
import {
  type Document,
  type DocumentUploadProgress,
  type FetchLike,
  memoryDocumentUploadStore,
  NexusApiError,
  NexusNetworkError,
  type UploadDocumentOptions,
  uploadDocument,
} from "./index.ts";

const MiB = 1024 * 1024;

/** What a test's fetch does to the first request matching `match`; later ones reach the worker. */
interface Fault {
  match: RegExp;
  /** drop: the connection fails before the API sees it; lose-answer: the API handles it, the answer is lost. */
  action: "drop" | "lose-answer" | "unavailable";
}

/**
 * The real worker behind a fetch that records each request as `METHOD /documents/:id/...` (the
 * company prefix and ids left out) and injects the faults, each once.
 */
function documentFetch(...faults: Fault[]) {
  const requests: string[] = [];
  const fetch: FetchLike = async (input, init) => {
    const line = `${init.method ?? "GET"} ${new URL(input).pathname
      .replace(/^\/api\/admin\/companies\/[^/]+/, "")
      .replace(/^\/documents\/[^/]+/, "/documents/:id")}`;
    requests.push(line);
    const index = faults.findIndex((fault) => fault.match.test(line));
    const action = index < 0 ? undefined : faults.splice(index, 1)[0]?.action;
    if (action === "drop") throw new TypeError("fetch failed: connection reset");
    if (action === "unavailable") return Response.json(errorEnvelope("SERVICE_UNAVAILABLE"), { status: 503 });
    const response = await toWorker(input, init);
    if (action === "lose-answer") {
      await response.arrayBuffer();
      throw new TypeError("fetch failed: connection reset after the request was handled");
    }
    return response;
  };
  return { fetch, requests, since: (start: number) => requests.slice(start) };
}

/** PDF-looking bytes: the signature the API sniffs, then a pattern that differs per seed. */
function pdfBytes(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    bytes[i] = state >>> 24;
  }
  bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
  return bytes;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type UploadAs = Omit<UploadDocumentOptions, "baseUrl" | "token" | "companyId" | "name"> & { name?: string };

/** A company with a validated installation; uploads go with its installation token. */
async function installation() {
  const { joined } = await joinedInstallation();
  const companyId = joined.company_id;
  const token = joined.installation.token;
  const documentsPath = `${BASE_URL}/api/admin/companies/${companyId}/documents`;
  const get = (path: string) =>
    toWorker(`${documentsPath}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    companyId,
    /** uploadDocument to this company with fast retries, as x.pdf unless `name` says otherwise. */
    upload: (options: UploadAs) =>
      uploadDocument({ baseUrl: BASE_URL, token, companyId, backoff: 1, name: "x.pdf", ...options }),
    async download(document: Document): Promise<Uint8Array> {
      const response = await get(`/${document.id}/content`);
      expect(response.status).toBe(200);
      return new Uint8Array(await response.arrayBuffer());
    },
    async usedBytes(): Promise<number> {
      const response = await get("");
      expect(response.status).toBe(200);
      return ((await response.json()) as { usage: { used_bytes: number } }).usage.used_bytes;
    },
  };
}

function expectSteadyProgress(progress: DocumentUploadProgress[], totalBytes: number) {
  expect(progress.length).toBeGreaterThan(1);
  for (const [index, step] of progress.entries()) {
    expect(step.totalBytes).toBe(totalBytes);
    expect(step.sentBytes).toBeGreaterThanOrEqual(progress[index - 1]?.sentBytes ?? 0);
  }
  expect(progress.at(-1)?.sentBytes).toBe(totalBytes);
}

describe("uploadDocument against the real API", () => {
  it("uploads a small file in one request; it downloads byte for byte", async () => {
    const company = await installation();
    const content = pdfBytes(40_000);
    const { fetch, requests } = documentFetch();
    const progress: DocumentUploadProgress[] = [];

    const document = await company.upload({
      fetch,
      content,
      tags: ["invoices", "2026"],
      machineId: "machine-1",
      onProgress: (step) => progress.push(step),
    });

    expect(document).toMatchObject({
      name: "x.pdf",
      type: "pdf",
      size: content.length,
      sha256: await sha256(content),
      status: "ready",
      tags: ["invoices", "2026"],
      machine_id: "machine-1",
    });
    expect(requests).toEqual(["POST /documents", "PUT /documents/:id/content"]);
    expect(progress).toEqual([
      { sentBytes: 0, totalBytes: content.length },
      { sentBytes: content.length, totalBytes: content.length },
    ]);
    expect(sameBytes(await company.download(document), content)).toBe(true);

    // A Blob goes the same way, and a given sha256 is used as is.
    const blob = new Blob([pdfBytes(5_000, 2)]);
    const fromBlob = await company.upload({
      content: blob,
      name: "scan.pdf",
      sha256: await sha256(pdfBytes(5_000, 2)),
      fetch: toWorker,
    });
    expect(fromBlob).toMatchObject({ size: 5_000, status: "ready" });
    expect(sameBytes(await company.download(fromBlob), pdfBytes(5_000, 2))).toBe(true);
  });

  it("resumes a multipart upload after a dropped connection, sending only the missing parts", async () => {
    const company = await installation();
    const content = pdfBytes(12 * MiB, 3);
    const store = memoryDocumentUploadStore();
    const { fetch, requests, since } = documentFetch({ match: /^PUT .*\/parts\/2$/, action: "drop" });
    const options = { fetch, content, resumable: true, store };

    const firstProgress: DocumentUploadProgress[] = [];
    const failure = await rejection(
      company.upload({ ...options, retries: 0, onProgress: (step) => firstProgress.push(step) }),
    );
    expect(failure).toBeInstanceOf(NexusNetworkError);
    expect(requests).toEqual(["POST /documents", "PUT /documents/:id/parts/1", "PUT /documents/:id/parts/2"]);
    expect(firstProgress.map((step) => step.sentBytes)).toEqual([0, 5 * MiB]);
    const key = `${company.companyId}:x.pdf:${content.length}:${await sha256(content)}`;
    const remembered = await store.get(key);
    expect(remembered).toMatchObject({ companyId: company.companyId, size: content.length });

    const start = requests.length;
    const progress: DocumentUploadProgress[] = [];
    const document = await company.upload({ ...options, onProgress: (step) => progress.push(step) });

    expect(since(start)).toEqual([
      "GET /documents/:id/parts",
      "PUT /documents/:id/parts/2",
      "PUT /documents/:id/parts/3",
      "POST /documents/:id/complete",
    ]);
    expect(since(start).filter((line) => line.startsWith("PUT "))).toHaveLength(2);
    expect(document).toMatchObject({ id: remembered?.documentId, status: "ready", size: content.length });
    expect(progress.map((step) => step.sentBytes)).toEqual([5 * MiB, 10 * MiB, 12 * MiB]);
    expectSteadyProgress(progress, content.length);
    expect(await store.get(key)).toBeUndefined();
    expect(sameBytes(await company.download(document), content)).toBe(true);
  });

  it("retries a part the API could not take (503) and carries on", async () => {
    const company = await installation();
    const content = pdfBytes(12 * MiB, 4);
    const { fetch, requests } = documentFetch({ match: /^PUT .*\/parts\/2$/, action: "unavailable" });
    const progress: DocumentUploadProgress[] = [];
    const document = await company.upload({
      fetch,
      content,
      resumable: true,
      store: memoryDocumentUploadStore(),
      onProgress: (step) => progress.push(step),
    });
    expect(requests).toEqual([
      "POST /documents",
      "PUT /documents/:id/parts/1",
      "PUT /documents/:id/parts/2",
      "PUT /documents/:id/parts/2",
      "PUT /documents/:id/parts/3",
      "POST /documents/:id/complete",
    ]);
    expectSteadyProgress(progress, content.length);
    expect(sameBytes(await company.download(document), content)).toBe(true);
  });

  it("takes a completion whose answer was lost as done, once the document is stored", async () => {
    const company = await installation();
    const content = pdfBytes(MiB, 5);
    const store = memoryDocumentUploadStore();
    const { fetch, requests } = documentFetch({ match: /^POST .*\/complete$/, action: "lose-answer" });
    const document = await company.upload({
      fetch,
      content,
      resumable: true,
      store,
      uploadKey: "photo-1",
    });
    expect(requests).toEqual([
      "POST /documents",
      "PUT /documents/:id/parts/1",
      "POST /documents/:id/complete",
      "POST /documents/:id/complete",
      "GET /documents/:id",
    ]);
    expect(document).toMatchObject({ status: "ready", sha256: await sha256(content) });
    expect(await store.get("photo-1")).toBeUndefined();
  });

  it("starts over when the remembered upload is gone", async () => {
    const company = await installation();
    const content = pdfBytes(MiB, 6);
    const store = memoryDocumentUploadStore();
    await store.set("photo-2", {
      documentId: "expired-upload",
      companyId: company.companyId,
      size: content.length,
      sha256: await sha256(content),
    });
    const { fetch, requests } = documentFetch();
    const document = await company.upload({
      fetch,
      content,
      resumable: true,
      store,
      uploadKey: "photo-2",
    });
    expect(requests).toEqual([
      "GET /documents/:id/parts",
      "POST /documents",
      "PUT /documents/:id/parts/1",
      "POST /documents/:id/complete",
    ]);
    expect(document.id).not.toBe("expired-upload");
    expect(sameBytes(await company.download(document), content)).toBe(true);
  });

  it("refuses an executable named .pdf with DOCUMENT_TYPE_NOT_ALLOWED, without retrying", async () => {
    const company = await installation();
    const content = new Uint8Array(4_096).fill(0x90);
    content.set(new TextEncoder().encode("MZ"));
    const { fetch, requests } = documentFetch();

    const error = await rejection(company.upload({ fetch, content }));

    expect(error).toBeInstanceOf(NexusApiError);
    expect(error).toMatchObject({ status: 415, code: "DOCUMENT_TYPE_NOT_ALLOWED" });
    // One PUT, then the declared upload is given up so its reserved space is free again.
    expect(requests).toEqual([
      "POST /documents",
      "PUT /documents/:id/content",
      "DELETE /documents/:id/upload",
    ]);
    expect(await company.usedBytes()).toBe(0);
  });

  it("refuses a name of a type the company does not take before sending any bytes", async () => {
    const company = await installation();
    const store = memoryDocumentUploadStore();
    const { fetch, requests } = documentFetch();
    const error = await rejection(
      company.upload({
        fetch,
        content: pdfBytes(100),
        name: "setup.exe",
        resumable: true,
        store,
      }),
    );
    expect(error).toMatchObject({ status: 415, code: "DOCUMENT_TYPE_NOT_ALLOWED" });
    expect(requests).toEqual(["POST /documents"]);
  });
});
