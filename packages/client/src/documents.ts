// Document uploads from the apps (and the operator CLI): the file is declared first, so its type,
// size and the company's storage quota are checked before a byte is sent, then its bytes go in one
// PUT or, above 95 MiB or when asked to be resumable, in parts. A multipart upload's document id is
// remembered under a caller-chosen key, so calling uploadDocument again after a dropped connection
// (or an app restart, with a durable store) asks the API which parts it has and sends only the rest.
import {
  DOCUMENT_LIMITS,
  type Document,
  DocumentResponseSchema,
  type ErrorCode,
  routes,
  UploadedPartsSchema,
} from "@nexus/contracts";
import { connectionOf, fillPath, type NexusClientOptions } from "./client.ts";
import { NexusApiError, NexusResponseError } from "./errors.ts";
import { type HttpRequest, type RetryPolicy, send } from "./http.ts";
import { type ResponseSchema, readResponse } from "./response.ts";

export interface DocumentUploadProgress {
  /** Bytes the API has confirmed, parts received before a resume included. Never decreases. */
  sentBytes: number;
  totalBytes: number;
}

/** What is remembered of an unfinished multipart upload, enough to tell it belongs to the same bytes. */
export interface StoredDocumentUpload {
  documentId: string;
  companyId: string;
  size: number;
  sha256: string;
}

/**
 * Where unfinished multipart uploads are remembered (a file, AsyncStorage, SQLite). An entry is set
 * right after the upload is declared and deleted once it completes or cannot complete; each promise
 * should resolve only once the change is durable.
 */
export interface DocumentUploadStore {
  get(key: string): Promise<StoredDocumentUpload | undefined>;
  set(key: string, upload: StoredDocumentUpload): Promise<void>;
  /** Unknown keys are no error. */
  delete(key: string): Promise<void>;
}

/** Kept in memory only: survives a dropped connection, not a restart. */
export function memoryDocumentUploadStore(): DocumentUploadStore {
  const entries = new Map<string, StoredDocumentUpload>();
  return {
    get: async (key) => {
      const entry = entries.get(key);
      return entry && { ...entry };
    },
    set: async (key, upload) => {
      entries.set(key, { ...upload });
    },
    delete: async (key) => {
      entries.delete(key);
    },
  };
}

// Shared by every call that brings no store, so simply calling again after a failure resumes.
const defaultStore = memoryDocumentUploadStore();

export interface UploadDocumentOptions extends Omit<NexusClientOptions, "credential"> {
  /** An installation token (apps), a company API key (`nxk_…`) or the operator secret. */
  token: string;
  companyId: string;
  /** The whole file. A Blob is read one part at a time, so a file-backed one need not fit in memory. */
  content: Uint8Array | Blob;
  /** Display name with its extension; the extension must match the bytes' type. */
  name: string;
  tags?: string[];
  /** Links the document to a machine or project of the company. */
  machineId?: string;
  projectId?: string;
  /** 64 lower-case hex digits; computed with Web Crypto (reading the whole content) when absent. */
  sha256?: string;
  /** Upload in parts even when one request would do, so a dropped connection costs one part. */
  resumable?: boolean;
  /**
   * Names the upload in the store, e.g. the file's path or the photo's id. Default: the company,
   * name, size and sha256, so uploading the same file again picks up where it stopped.
   */
  uploadKey?: string;
  /** Default: one in-memory store shared by all calls of this process. */
  store?: DocumentUploadStore;
  /** After the declaration (0 or what a resumed upload already has) and after each part is stored. */
  onProgress?: (progress: DocumentUploadProgress) => void;
  /**
   * Stops the upload, including pending retries; it then rejects with the signal's reason. A
   * multipart upload stays remembered and resumes on the next call.
   */
  signal?: AbortSignal;
  /** Per attempt of a request that sends bytes (one part or the whole file). Default 300 000. */
  transferTimeoutMs?: number;
}

/**
 * Refusals after which this upload cannot complete: resending the same bytes gets the same answer,
 * so the upload is given up (its reserved space freed) and forgotten. Everything else (network
 * errors, 5xx, 429, a token to renew, a permission to grant) keeps a multipart upload for a resume.
 */
const FINAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "DOCUMENT_TYPE_NOT_ALLOWED",
  "PAYLOAD_TOO_LARGE",
  "CHECKSUM_MISMATCH",
  "VALIDATION_FAILED",
  "LENGTH_REQUIRED",
  "STORAGE_QUOTA_EXCEEDED",
]);

const isApiError = (error: unknown, code: ErrorCode): error is NexusApiError =>
  error instanceof NexusApiError && error.code === code;

/**
 * Declares the document and sends its bytes; resolves with the stored document (status `ready`).
 * Transient failures are retried per request with backoff; a refusal throws NexusApiError at once.
 */
export async function uploadDocument(options: UploadDocumentOptions): Promise<Document> {
  const api = documentApi(options);
  const { content } = options;
  const size = content instanceof Blob ? content.size : content.byteLength;
  const sha256 = options.sha256 ?? (await sha256Hex(content));
  const declaration = {
    name: options.name,
    size,
    sha256,
    tags: options.tags ?? [],
    ...(options.machineId === undefined ? {} : { machine_id: options.machineId }),
    ...(options.projectId === undefined ? {} : { project_id: options.projectId }),
  };
  const report = (sentBytes: number) => options.onProgress?.({ sentBytes, totalBytes: size });
  const upload: Upload = { api, content, size, sha256, report };
  if (options.resumable !== true && size <= DOCUMENT_LIMITS.maxSingleUploadBytes) {
    return uploadWhole(upload, declaration);
  }
  const key = options.uploadKey ?? `${options.companyId}:${options.name}:${size}:${sha256}`;
  return uploadInParts(upload, declaration, options.store ?? defaultStore, key);
}

interface Upload {
  api: DocumentApi;
  content: Uint8Array | Blob;
  size: number;
  sha256: string;
  report: (sentBytes: number) => void;
}

type Declaration = Record<string, unknown>;

async function uploadWhole(upload: Upload, declaration: Declaration): Promise<Document> {
  const { api } = upload;
  const declared = await api.create({ ...declaration, multipart: false });
  const documentId = declared.document.id;
  upload.report(0);
  try {
    const { document } = await api.putContent(documentId, upload.content);
    upload.report(upload.size);
    return document;
  } catch (error) {
    // A retry after an answer lost on the way finds the document already stored.
    const stored = isApiError(error, "DOCUMENT_STATE_CONFLICT") ? await finished(upload, documentId) : null;
    if (stored) {
      upload.report(upload.size);
      return stored;
    }
    // Nothing to resume in one request: free the reserved space now rather than in 24 hours.
    await api.abortQuietly(documentId);
    throw error;
  }
}

async function uploadInParts(
  upload: Upload,
  declaration: Declaration,
  store: DocumentUploadStore,
  key: string,
): Promise<Document> {
  const { api } = upload;
  const resumed = await resume(upload, store, key);
  if (resumed?.kind === "done") return resumed.document;
  let state = resumed?.state;
  if (!state) {
    const declared = await api.create({ ...declaration, multipart: true });
    // The declaration's `parts` are not read: a fresh upload has none, and sending all is safe.
    state = { documentId: declared.document.id, partSize: declared.part_size, received: new Map() };
    await store.set(key, {
      documentId: state.documentId,
      companyId: api.companyId,
      size: upload.size,
      sha256: upload.sha256,
    });
  }
  try {
    await sendMissingParts(upload, state);
    const { document } = await completeOrFind(upload, state.documentId);
    await store.delete(key);
    return document;
  } catch (error) {
    if (error instanceof NexusApiError && FINAL_CODES.has(error.code)) {
      await api.abortQuietly(state.documentId);
      await store.delete(key);
    } else if (isApiError(error, "DOCUMENT_NOT_FOUND")) {
      // Expired or aborted meanwhile: the next call starts over.
      await store.delete(key);
    }
    throw error;
  }
}

interface PartsState {
  documentId: string;
  partSize: number;
  /** Part number → size of the parts the API has. */
  received: Map<number, number>;
}

type Resumed = { kind: "done"; document: Document } | { kind: "parts"; state: PartsState };

/** The remembered upload of these bytes, with the parts the API has; undefined to start afresh. */
async function resume(upload: Upload, store: DocumentUploadStore, key: string): Promise<Resumed | undefined> {
  const { api } = upload;
  const stored = await store.get(key);
  if (!stored) return undefined;
  const same =
    stored.companyId === api.companyId && stored.size === upload.size && stored.sha256 === upload.sha256;
  if (!same) {
    // The key now names other bytes: the old upload can never complete with them.
    await api.abortQuietly(stored.documentId, stored.companyId);
    await store.delete(key);
    return undefined;
  }
  try {
    const answer = await api.listParts(stored.documentId);
    if (answer.document.status === "ready") {
      await store.delete(key);
      upload.report(upload.size);
      return { kind: "done", document: answer.document };
    }
    const received = new Map(answer.parts.map((part) => [part.part_number, part.size]));
    return { kind: "parts", state: { documentId: stored.documentId, partSize: answer.part_size, received } };
  } catch (error) {
    // Gone (expired after 24 hours, or aborted): start over, as the caller would have to anyway.
    if (isApiError(error, "DOCUMENT_NOT_FOUND")) {
      await store.delete(key);
      return undefined;
    }
    if (!isApiError(error, "DOCUMENT_STATE_CONFLICT")) throw error;
    // An API that will not list the parts of a completed upload: it may be ours, finished by a
    // call whose answer was lost.
    const document = await finished(upload, stored.documentId);
    if (!document) await api.abortQuietly(stored.documentId);
    await store.delete(key);
    if (!document) return undefined;
    upload.report(upload.size);
    return { kind: "done", document };
  }
}

async function sendMissingParts(upload: Upload, state: PartsState): Promise<void> {
  const { partSize, received } = state;
  if (!(Number.isSafeInteger(partSize) && partSize > 0)) {
    throw new NexusResponseError(`The API asked for parts of ${partSize} bytes.`, {
      status: 200,
      requestId: undefined,
      body: "",
    });
  }
  const partCount = Math.ceil(upload.size / partSize);
  const plan = Array.from({ length: partCount }, (_, index) => {
    const start = index * partSize;
    return { number: index + 1, start, end: Math.min(upload.size, start + partSize) };
  });
  // A part counts as received only with the size this plan gives it; any other is sent again.
  const missing = plan.filter((part) => received.get(part.number) !== part.end - part.start);
  let sentBytes = upload.size - missing.reduce((sum, part) => sum + (part.end - part.start), 0);
  upload.report(sentBytes);
  for (const part of missing) {
    const bytes = upload.content.slice(part.start, part.end);
    await upload.api.putPart(state.documentId, part.number, bytes);
    sentBytes += part.end - part.start;
    upload.report(sentBytes);
  }
}

async function completeOrFind(upload: Upload, documentId: string) {
  try {
    return await upload.api.complete(documentId);
  } catch (error) {
    // A retry after an answer lost on the way finds the upload already completed.
    const document = isApiError(error, "DOCUMENT_STATE_CONFLICT") ? await finished(upload, documentId) : null;
    if (!document) throw error;
    return { document };
  }
}

/** The document when it is stored with exactly these bytes, else null. */
async function finished(upload: Upload, documentId: string): Promise<Document | null> {
  try {
    const { document } = await upload.api.get(documentId);
    const same =
      document.status === "ready" && document.size === upload.size && document.sha256 === upload.sha256;
    return same ? document : null;
  } catch (error) {
    if (isApiError(error, "DOCUMENT_NOT_FOUND")) return null;
    throw error;
  }
}

type DocumentApi = ReturnType<typeof documentApi>;

/** The document routes of one company, with the call's credential, retry policy and signal. */
function documentApi(options: UploadDocumentOptions) {
  const { baseUrl, fetch, policy } = connectionOf(options);
  const transferPolicy = { ...policy, timeoutMs: options.transferTimeoutMs ?? 300_000 };
  const { companyId, signal } = options;
  const headers = {
    accept: "application/json",
    authorization: `Bearer ${options.token}`,
    ...(options.userAgent ? { "user-agent": options.userAgent } : {}),
  };

  interface Call<T> {
    route: { method: string; path: string };
    params: Record<string, string | number>;
    schema: ResponseSchema<T>;
    json?: unknown;
    bytes?: Uint8Array | Blob;
  }
  async function call<T>(request: Call<T>, overrides: { policy?: RetryPolicy; signal?: AbortSignal } = {}) {
    const url = `${baseUrl}${fillPath(request.route.path, { companyId, ...request.params })}`;
    const { bytes, json } = request;
    const outgoing: HttpRequest = {
      method: request.route.method.toUpperCase(),
      url,
      headers: { ...headers },
      signal: "signal" in overrides ? overrides.signal : signal,
    };
    if (bytes !== undefined) {
      // A Uint8Array or Blob, so a retry can send it again; fetch sets Content-Length.
      outgoing.body = bytes;
      outgoing.headers["content-type"] = "application/octet-stream";
    } else if (json !== undefined) {
      outgoing.body = JSON.stringify(json);
      outgoing.headers["content-type"] = "application/json";
    }
    const chosen = overrides.policy ?? (bytes === undefined ? policy : transferPolicy);
    const response = await send(fetch, outgoing, chosen);
    return readResponse(response, request.schema);
  }

  return {
    companyId,
    create: (json: Declaration) =>
      call({ route: routes.createDocument, params: {}, schema: UploadedPartsSchema, json }),
    putContent: (documentId: string, bytes: Uint8Array | Blob) =>
      call({
        route: routes.uploadDocumentContent,
        params: { documentId },
        schema: DocumentResponseSchema,
        bytes,
      }),
    putPart: (documentId: string, partNumber: number, bytes: Uint8Array | Blob) =>
      call({
        route: routes.uploadDocumentPart,
        params: { documentId, partNumber },
        schema: UploadedPartsSchema,
        bytes,
      }),
    listParts: (documentId: string) =>
      call({ route: routes.listDocumentParts, params: { documentId }, schema: UploadedPartsSchema }),
    complete: (documentId: string) =>
      call({ route: routes.completeDocumentUpload, params: { documentId }, schema: DocumentResponseSchema }),
    get: (documentId: string) =>
      call({ route: routes.getDocument, params: { documentId }, schema: DocumentResponseSchema }),
    /**
     * Gives up an upload so its reserved space is freed. Best effort and sent even after the caller
     * aborted (it is the cleanup of that abort): an upload left behind expires after 24 hours anyway.
     */
    async abortQuietly(documentId: string, owner = companyId) {
      try {
        await call(
          {
            route: routes.abortDocumentUpload,
            params: { companyId: owner, documentId },
            schema: DocumentResponseSchema,
          },
          { policy: { ...policy, retries: 0 }, signal: undefined },
        );
      } catch {
        // Already gone, already complete, or unreachable: nothing more to do here.
      }
    },
  };
}

/** SHA-256 as 64 lower-case hex digits, the form the API checks. */
export async function sha256Hex(content: Uint8Array | Blob): Promise<string> {
  const bytes = content instanceof Blob ? new Uint8Array(await content.arrayBuffer()) : content;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
