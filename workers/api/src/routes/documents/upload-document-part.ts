import { DOCUMENT_LIMITS } from "@nexus/contracts";
import { bodyLength } from "../../lib/body-length.ts";
import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { loadDocument, requireUploading } from "../../services/documents/library.ts";
import { partPlan, partsView, recordPart } from "../../services/documents/parts.ts";
import { documentDatabase } from "../../services/documents/scope.ts";
import { streamChecked } from "../../services/documents/upload.ts";

export const uploadDocumentPart = operation("uploadDocumentPart", async (c, { params, caller }) => {
  const { partNumber } = params;
  const db = await documentDatabase(c, caller, params);
  const row = await loadDocument(db, params.documentId);
  requireUploading(row, true);
  const { count, partSize } = partPlan(row);
  if (partNumber > count) {
    throw new ApiError(
      "VALIDATION_FAILED",
      `This upload has ${count} parts of ${partSize} bytes; there is no part ${partNumber}.`,
      { parts: count, part_size: partSize },
    );
  }
  const exact = partNumber < count ? partSize : row.size - partSize * (count - 1);
  const length = bodyLength(c, { exact, max: DOCUMENT_LIMITS.maxPartBytes });
  const upload = c.env.DOCUMENTS.resumeMultipartUpload(row.r2Key, row.multipartUploadId ?? "");
  let etag = "";
  await streamChecked(
    c.req.raw.body as ReadableStream<Uint8Array>,
    length,
    // The first part starts the file: its bytes must match the name's type.
    partNumber === 1 ? row : null,
    async (stream) => {
      etag = (await upload.uploadPart(partNumber, stream)).etag;
    },
  );
  await recordPart(db, row.id, { partNumber, size: length, etag });
  return partsView(db, row);
});
