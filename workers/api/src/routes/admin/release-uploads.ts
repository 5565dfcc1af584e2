// Uploading a draft release's declared files into R2. Bytes stream straight through: R2 checks the
// declared sha512 itself on a single upload, and a multipart upload is read back once and hashed
// before it counts. A mismatch never leaves a stored file behind.
import { routes } from "@nexus/contracts";
import { releaseFiles } from "@nexus/db/central";
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { bodyLength } from "../../lib/body-length.ts";
import { ApiError } from "../../lib/errors.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, validParams } from "../../lib/route.ts";
import {
  loadRelease,
  type ReleaseFileRow,
  requireStatus,
  toReleaseView,
} from "../../services/updates/releases.ts";

const { uploadReleaseFile, startMultipartUpload, uploadMultipartPart, completeMultipartUpload } = routes;

/** Workers accept request bodies up to 100 MB; files above this go in parts. */
export const SINGLE_UPLOAD_LIMIT = 95 * 1024 * 1024;
/** R2 needs equal parts of at least 5 MiB (the last may be smaller). */
export const PART_SIZE = 16 * 1024 * 1024;

const base64ToHex = (base64: string) =>
  Array.from(atob(base64), (char) => char.charCodeAt(0).toString(16).padStart(2, "0")).join("");
const bytesToBase64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

async function declaredFile(
  c: Context<AppEnv>,
  releaseId: string,
  fileName: string,
): Promise<ReleaseFileRow> {
  const { release, files } = await loadRelease(c.get("db"), releaseId);
  requireStatus(release, ["draft"], "upload files to it (publish a new version instead)");
  const file = files.find((candidate) => candidate.name === fileName);
  if (!file) {
    throw new ApiError(
      "FILE_NOT_FOUND",
      `Release ${release.version} does not declare ${fileName}. Declared: ${files.map((f) => f.name).join(", ")}.`,
    );
  }
  return file;
}

async function markUploaded(c: Context<AppEnv>, file: ReleaseFileRow): Promise<Response> {
  const db = c.get("db");
  await db
    .update(releaseFiles)
    .set({ uploadedAt: new Date() })
    .where(and(eq(releaseFiles.releaseId, file.releaseId), eq(releaseFiles.name, file.name)));
  const loaded = await loadRelease(db, file.releaseId);
  const view = toReleaseView(loaded.release, loaded.files).files.find((f) => f.name === file.name);
  return c.json({ success: true as const, file: view });
}

/**
 * R2 refuses an unknown or finished upload id, or parts that do not fit: the caller's mistake, told
 * as a 400 rather than a 500 (R2's own error text is not a stable contract, so it is only logged).
 */
async function multipartStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    console.warn(JSON.stringify({ level: "warn", event: "multipart_refused", what, error: String(error) }));
    throw new ApiError(
      "VALIDATION_FAILED",
      `R2 refused to ${what}: check the upload id (start a new upload if it was completed or aborted) and the parts' numbers and etags.`,
    );
  }
}

function checksumMismatch(file: ReleaseFileRow, actual: string): ApiError {
  return new ApiError(
    "CHECKSUM_MISMATCH",
    `${file.name}: the bytes received do not match the declared sha512; nothing was stored.`,
    { declared_sha512: file.sha512, received_sha512: actual },
  );
}

export const releaseUploadRoutes = new Hono<AppEnv>()
  .put(honoPath(uploadReleaseFile.path), validParams(uploadReleaseFile.params), async (c) => {
    const { releaseId, fileName } = c.req.valid("param");
    const file = await declaredFile(c, releaseId, fileName);
    const length = bodyLength(c, { exact: file.size, max: SINGLE_UPLOAD_LIMIT });
    const body = c.req.raw.body as ReadableStream<Uint8Array>;
    // One branch to R2 (which verifies the declared digest), one to our own hash: R2's error text
    // is not a contract, so a failed put is classified by the digest we computed.
    const [toBucket, toHash] = body.tee();
    const digest = new crypto.DigestStream("SHA-512");
    const hashing = toHash.pipeTo(digest).then(() => digest.digest);
    const sized = new FixedLengthStream(length);
    const storing = Promise.all([
      toBucket.pipeTo(sized.writable),
      c.env.ARTIFACTS.put(file.r2Key, sized.readable, {
        sha512: base64ToHex(file.sha512),
        httpMetadata: { contentType: "application/octet-stream" },
      }),
    ]);
    const [stored, hashed] = await Promise.allSettled([storing, hashing]);
    const actual = hashed.status === "fulfilled" ? bytesToBase64(hashed.value) : null;
    if (actual !== null && actual !== file.sha512) {
      await c.env.ARTIFACTS.delete(file.r2Key);
      throw checksumMismatch(file, actual);
    }
    if (stored.status === "rejected") throw stored.reason;
    if (hashed.status === "rejected") throw hashed.reason;
    return markUploaded(c, file);
  })
  .post(honoPath(startMultipartUpload.path), validParams(startMultipartUpload.params), async (c) => {
    const { releaseId, fileName } = c.req.valid("param");
    const file = await declaredFile(c, releaseId, fileName);
    const upload = await c.env.ARTIFACTS.createMultipartUpload(file.r2Key, {
      httpMetadata: { contentType: "application/octet-stream" },
    });
    return c.json({ success: true as const, upload_id: upload.uploadId, part_size: PART_SIZE }, 201);
  })
  .put(honoPath(uploadMultipartPart.path), validParams(uploadMultipartPart.params), async (c) => {
    const { releaseId, fileName, uploadId, partNumber } = c.req.valid("param");
    const file = await declaredFile(c, releaseId, fileName);
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
    return c.json({ success: true as const, part_number: part.partNumber, etag: part.etag });
  })
  .post(
    honoPath(completeMultipartUpload.path),
    validParams(completeMultipartUpload.params),
    jsonBody(completeMultipartUpload.body, 1024 * 1024),
    async (c) => {
      const { releaseId, fileName, uploadId } = c.req.valid("param");
      const { parts } = c.req.valid("json");
      const file = await declaredFile(c, releaseId, fileName);
      const upload = c.env.ARTIFACTS.resumeMultipartUpload(file.r2Key, uploadId);
      await multipartStep("complete the upload", () =>
        upload.complete(parts.map((part) => ({ partNumber: part.part_number, etag: part.etag }))),
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
      return markUploaded(c, file);
    },
  );
