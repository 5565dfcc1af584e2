import { bodyLength } from "../../lib/body-length.ts";
import { operation } from "../../lib/operation.ts";
import {
  base64ToHex,
  bytesToBase64,
  checksumMismatch,
  declaredFile,
  markUploaded,
  SINGLE_UPLOAD_LIMIT,
} from "../../services/updates/uploads.ts";

export const uploadReleaseFile = operation("uploadReleaseFile", async (c, { params }) => {
  const db = c.get("db");
  const file = await declaredFile(db, params.releaseId, params.fileName);
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
  return markUploaded(db, file);
});
