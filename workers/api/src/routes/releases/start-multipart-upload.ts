import { operation } from "../../lib/operation.ts";
import { declaredFile, PART_SIZE } from "../../services/updates/uploads.ts";

export const startMultipartUpload = operation("startMultipartUpload", async (c, { params }) => {
  const file = await declaredFile(c.get("db"), params.releaseId, params.fileName);
  const upload = await c.env.ARTIFACTS.createMultipartUpload(file.r2Key, {
    httpMetadata: { contentType: "application/octet-stream" },
  });
  return { success: true, upload_id: upload.uploadId, part_size: PART_SIZE };
});
