// Streaming a request body into R2 without holding it in memory: the first bytes are read to check
// the type, then the body flows to R2 and, beside it, through a SHA-256 digest.
import { hex } from "@nexus/security";
import { ApiError } from "../../lib/errors.ts";
import { bytesMatchName, SNIFF_BYTES, sniffType } from "./sniff.ts";

/** The first bytes of `body`, and a stream that still yields all of it. */
async function peek(body: ReadableStream<Uint8Array>, wanted: number) {
  const reader = body.getReader();
  const buffered: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < wanted && !done) {
    const chunk = await reader.read();
    if (chunk.done) done = true;
    else {
      buffered.push(chunk.value);
      size += chunk.value.byteLength;
    }
  }
  const head = new Uint8Array(size);
  let offset = 0;
  for (const chunk of buffered) {
    head.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of buffered) controller.enqueue(chunk);
      if (done) controller.close();
    },
    async pull(controller) {
      const chunk = await reader.read();
      if (chunk.done) controller.close();
      else controller.enqueue(chunk.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { head: head.subarray(0, wanted), stream };
}

/** Refuses bytes that are not what the document's name says it is. */
export function requireMatchingBytes(head: Uint8Array, name: string, declared: string): void {
  const sniffed = sniffType(head);
  if (!bytesMatchName(sniffed, declared)) {
    throw new ApiError(
      "DOCUMENT_TYPE_NOT_ALLOWED",
      sniffed
        ? `${name} is named as ${declared} but its content is ${sniffed}.`
        : `${name} is named as ${declared} but its content is not a type this library accepts.`,
      { declared_type: declared, detected_type: sniffed },
    );
  }
}

/**
 * Streams `body` (exactly `length` bytes) to `write`, checking its first bytes against the name (when
 * `checkType` is given) and hashing it. Returns the SHA-256 in hex.
 */
export async function streamChecked(
  body: ReadableStream<Uint8Array>,
  length: number,
  checkType: { name: string; type: string } | null,
  write: (stream: ReadableStream<Uint8Array>) => Promise<unknown>,
): Promise<string> {
  const { head, stream } = await peek(body, Math.min(SNIFF_BYTES, length));
  if (checkType) requireMatchingBytes(head, checkType.name, checkType.type);
  const [toStore, toHash] = stream.tee();
  const digest = new crypto.DigestStream("SHA-256");
  const hashing = toHash.pipeTo(digest);
  // R2 needs a stream of known length; the runtime fails it if the body is shorter or longer.
  const fixed = new FixedLengthStream(length);
  const piping = toStore.pipeTo(fixed.writable);
  try {
    await Promise.all([write(fixed.readable), piping, hashing]);
  } catch (error) {
    // A dropped connection or a body that does not match its Content-Length: nothing usable arrived.
    console.warn(
      JSON.stringify({ level: "warn", event: "document_upload_interrupted", error: String(error) }),
    );
    throw new ApiError(
      "VALIDATION_FAILED",
      "The upload was interrupted or its length did not match Content-Length; send it again.",
      { action: "retry" },
    );
  }
  return hex(new Uint8Array(await digest.digest));
}

/** The stored object's SHA-256, read back (multipart uploads: parts arrive separately). */
export async function storedSha256(bucket: R2Bucket, key: string): Promise<string> {
  const object = await bucket.get(key);
  if (!object) throw new Error(`${key} vanished after completing its upload`);
  const digest = new crypto.DigestStream("SHA-256");
  await object.body.pipeTo(digest);
  return hex(new Uint8Array(await digest.digest));
}

/**
 * Runs the D1 write that records bytes already stored at `key`. Should it fail (D1 unavailable, or
 * the document aborted meanwhile), the bytes are deleted too: nothing in R2 may outlive its row. A
 * delete that fails as well leaves an orphan for the daily purge's sweep.
 */
export async function recordOrDiscard<T>(
  bucket: R2Bucket,
  key: string,
  record: () => Promise<T>,
): Promise<T> {
  try {
    return await record();
  } catch (error) {
    await bucket.delete(key).catch((cleanup: unknown) => {
      console.error(
        JSON.stringify({ level: "error", event: "document_orphan_left", key, error: String(cleanup) }),
      );
    });
    if (error instanceof ApiError) throw error;
    console.error(
      JSON.stringify({ level: "error", event: "document_record_failed", key, error: String(error) }),
    );
    throw new ApiError(
      "SERVICE_UNAVAILABLE",
      "The bytes arrived but could not be recorded, so none were kept. Send them again.",
      { action: "retry" },
    );
  }
}

/** Drops the stored bytes that do not match the declared sha256, and says so. */
export async function checksumMismatch(
  bucket: R2Bucket,
  key: string,
  declared: string,
  actual: string,
): Promise<never> {
  await bucket.delete(key);
  throw new ApiError(
    "CHECKSUM_MISMATCH",
    "The bytes received do not match the declared sha256; nothing was stored. Send the file again.",
    { declared_sha256: declared, received_sha256: actual },
  );
}
