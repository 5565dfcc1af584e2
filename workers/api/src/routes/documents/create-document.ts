import { DOCUMENT_LIMITS } from "@nexus/contracts";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { operation } from "../../lib/operation.ts";
import {
  allowedTypeOf,
  documentKey,
  loadDocument,
  quotaExceeded,
  reserveDocument,
  usedBytes,
} from "../../services/documents/library.ts";
import { partsView } from "../../services/documents/parts.ts";
import { requireProjectWritable } from "../../services/documents/scope.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const createDocument = operation("createDocument", async (c, { params, body, caller }) => {
  const { companyId } = params;
  const { type, storage } = await allowedTypeOf(c.get("db"), companyId, body.name);
  if (!body.multipart && body.size > DOCUMENT_LIMITS.maxSingleUploadBytes) {
    throw new ApiError(
      "PAYLOAD_TOO_LARGE",
      `Files over ${DOCUMENT_LIMITS.maxSingleUploadBytes} bytes are uploaded in parts: declare them with "multipart": true.`,
      { max_bytes: DOCUMENT_LIMITS.maxSingleUploadBytes },
    );
  }
  const db = await tenantDatabase(c.env, companyId);
  await requireProjectWritable(c, caller, db, {
    companyId,
    projectId: body.project_id,
    notAssigned: "Attach the document to one of your jobs (project_id).",
  });
  const id = newId();
  const upload = body.multipart
    ? await c.env.DOCUMENTS.createMultipartUpload(documentKey(companyId, id))
    : null;
  const reserved = await reserveDocument(
    db,
    companyId,
    {
      id,
      name: body.name,
      type,
      size: body.size,
      sha256: body.sha256 ?? null,
      multipartUploadId: upload?.uploadId ?? null,
      tags: body.tags,
      machineId: body.machine_id ?? null,
      projectId: body.project_id ?? null,
      uploadedBy: c.get("actor"),
    },
    storage.quotaBytes,
  ).catch(async (error: unknown) => {
    // Without its row the multipart upload is nobody's: nothing could ever complete or abort it.
    await upload?.abort().catch(() => undefined);
    throw error;
  });
  if (!reserved) {
    await upload?.abort();
    throw quotaExceeded(storage, await usedBytes(db), body.size);
  }
  return partsView(db, await loadDocument(db, id));
});
