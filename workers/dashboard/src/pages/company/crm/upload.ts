// Uploading a document for a project from the browser: declared first (the API checks the name's
// type, the size and the company's quota and links it to the project), then its bytes in one PUT.
// Parts and resumable uploads (packages/client/src/documents.ts) are for the apps' large files;
// the dashboard takes files up to MAX_UPLOAD_BYTES.

import { NexusApiError, NexusResponseError } from "@nexus/client/errors";
import { type Document, DocumentResponseSchema, ErrorEnvelopeSchema, routes } from "@nexus/contracts";
import { callApi, routeUrl, UNAUTHORIZED_EVENT } from "../../../lib/api.ts";

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export class FileTooLargeError extends Error {
  override name = "FileTooLargeError";
}

export async function uploadProjectDocument(input: {
  companyId: string;
  projectId: string;
  file: File;
  tags: string[];
}): Promise<Document> {
  const { companyId, projectId, file } = input;
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new FileTooLargeError(
      `${file.name} is larger than 5 MB. Upload larger files from the desktop or mobile app.`,
    );
  }
  const declared = await callApi(routes.createDocument, {
    params: { companyId },
    body: { name: file.name, size: file.size, tags: input.tags, project_id: projectId, multipart: false },
  });
  const documentId = declared.document.id;
  try {
    return await putContent(companyId, documentId, file);
  } catch (error) {
    // One request has nothing to resume: free the reserved space now rather than when it expires.
    await callApi(routes.abortDocumentUpload, { params: { companyId, documentId } }).catch(() => undefined);
    throw error;
  }
}

/** The raw-bytes PUT, which callApi (JSON bodies) does not send; its answer is read the same way. */
async function putContent(companyId: string, documentId: string, file: File): Promise<Document> {
  const response = await fetch(routeUrl(routes.uploadDocumentContent.path, { companyId, documentId }), {
    method: "PUT",
    headers: { accept: "application/json", "content-type": "application/octet-stream" },
    credentials: "same-origin",
    body: file,
  });
  const text = await response.text();
  const answer = parsedJson(text);
  const stored = DocumentResponseSchema.safeParse(answer);
  if (response.ok && stored.success) return stored.data.document;
  const refusal = response.ok ? undefined : ErrorEnvelopeSchema.safeParse(answer).data?.error;
  if (!refusal) {
    throw new NexusResponseError(`The upload got HTTP ${response.status} outside the API's contract.`, {
      status: response.status,
      requestId: response.headers.get("x-request-id") ?? undefined,
      body: text,
    });
  }
  if (response.status === 401) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  const { request_id: requestId, details, ...said } = refusal;
  throw new NexusApiError({ ...said, details, status: response.status, requestId, retryAfterMs: undefined });
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
