import { bodyLength } from "../../lib/body-length.ts";
import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { declaredFile, multipartStep, PART_SIZE } from "../../services/updates/uploads.ts";

export const uploadMultipartPart = operation("uploadMultipartPart", async (c, { params }) => {
  const { releaseId, fileName, uploadId, partNumber } = params;
  const file = await declaredFile(c.get("db"), releaseId, fileName);
  const partCount = Math.ceil(file.size / PART_SIZE);
  if (partNumber > partCount) {
    throw new ApiError(
      "VALIDATION_FAILED",
      `${file.name} has ${partCount} parts of ${PART_SIZE} bytes; there is no part ${partNumber}.`,
    );
  }
  const exact = partNumber < partCount ? PART_SIZE : file.size - PART_SIZE * (partCount - 1);
  const length = bodyLength(c, { exact, max: PART_SIZE });
  const sized = new FixedLengthStream(length);
  const upload = c.env.ARTIFACTS.resumeMultipartUpload(file.r2Key, uploadId);
  const [, part] = await multipartStep(`store part ${partNumber}`, () =>
    Promise.all([
      (c.req.raw.body as ReadableStream<Uint8Array>).pipeTo(sized.writable),
      upload.uploadPart(partNumber, sized.readable),
    ]),
  );
  return { success: true, part_number: part.partNumber, etag: part.etag };
});
