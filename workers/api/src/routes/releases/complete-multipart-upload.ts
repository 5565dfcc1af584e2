import { operation } from "../../lib/operation.ts";
import {
  bytesToBase64,
  checksumMismatch,
  declaredFile,
  markUploaded,
  multipartStep,
} from "../../services/updates/uploads.ts";

/** Up to 10,000 parts with their etags. */
const COMPLETE_BODY_LIMIT = 1024 * 1024;

export const completeMultipartUpload = operation(
  "completeMultipartUpload",
  async (c, { params, body }) => {
    const { releaseId, fileName, uploadId } = params;
    const db = c.get("db");
    const file = await declaredFile(db, releaseId, fileName);
    const upload = c.env.ARTIFACTS.resumeMultipartUpload(file.r2Key, uploadId);
    await multipartStep("complete the upload", () =>
      upload.complete(body.parts.map((part) => ({ partNumber: part.part_number, etag: part.etag }))),
    );
    // The whole file's digest can only be known once it is assembled: read it back once.
    const object = await c.env.ARTIFACTS.get(file.r2Key);
    if (!object) throw new Error(`multipart upload ${uploadId} completed but ${file.r2Key} is missing`);
    const digest = new crypto.DigestStream("SHA-512");
    await object.body.pipeTo(digest);
    const actual = bytesToBase64(await digest.digest);
    if (object.size !== file.size || actual !== file.sha512) {
      await c.env.ARTIFACTS.delete(file.r2Key);
      throw checksumMismatch(file, actual);
    }
    return markUploaded(db, file);
  },
  { bodyLimit: COMPLETE_BODY_LIMIT },
);
