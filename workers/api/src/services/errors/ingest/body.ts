// Reading an ingest request's body: the bytes as sent, bounded, then decompressed (Sentry SDKs gzip
// large envelopes; some transports deflate) with the decompressed size bounded too, so a small
// compressed body cannot expand without limit in the isolate's memory.
import { ApiError } from "../../../lib/errors.ts";
import { readBounded } from "../../../lib/read-bounded.ts";
import { EnvelopeError } from "./envelope.ts";

export interface IngestBodyLimits {
  /** The body as sent (compressed or not). */
  maxBytes: number;
  /** The body once decompressed. */
  maxDecodedBytes: number;
}

export interface IngestBody {
  /** The body as sent. */
  sent: Uint8Array;
  /** What the body was compressed with, when it was. */
  encoding: "gzip" | "deflate" | null;
  /** The decompressed body. */
  bytes: Uint8Array;
}

function tooLarge(what: string, limit: number): ApiError {
  return new ApiError("PAYLOAD_TOO_LARGE", `The ${what} is larger than ${limit} bytes.`, {
    limit_bytes: limit,
  });
}

function encodingOf(header: string | null): IngestBody["encoding"] {
  const value = (header ?? "").trim().toLowerCase();
  if (value === "" || value === "identity") return null;
  if (value === "gzip" || value === "x-gzip") return "gzip";
  if (value === "deflate") return "deflate";
  throw new ApiError(
    "UNSUPPORTED_MEDIA_TYPE",
    `Content-Encoding ${value} is not accepted; send the body uncompressed, gzip or deflate.`,
  );
}

/**
 * Whether the bytes start like the encoding: a runtime or proxy that already decompressed the body
 * passes the header on, and such a body is read as it is.
 */
function looksEncoded(bytes: Uint8Array, encoding: "gzip" | "deflate"): boolean {
  const [first = 0, second = 0] = bytes;
  if (encoding === "gzip") return first === 0x1f && second === 0x8b;
  // zlib: compression method 8 and a header checksum divisible by 31.
  return (first & 0x0f) === 8 && ((first << 8) | second) % 31 === 0;
}

export async function decompress(
  bytes: Uint8Array,
  encoding: "gzip" | "deflate",
  maxDecodedBytes: number,
): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(encoding));
  try {
    return await readBounded(stream, maxDecodedBytes, () => tooLarge("decompressed body", maxDecodedBytes));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new EnvelopeError(`The body is not valid ${encoding} data (Content-Encoding: ${encoding}).`);
  }
}

export async function readIngestBody(request: Request, limits: IngestBodyLimits): Promise<IngestBody> {
  const encoding = encodingOf(request.headers.get("content-encoding"));
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limits.maxBytes)
    throw tooLarge("request body", limits.maxBytes);
  const sent = request.body
    ? await readBounded(request.body, limits.maxBytes, () => tooLarge("request body", limits.maxBytes))
    : new Uint8Array();
  if (encoding === null || !looksEncoded(sent, encoding)) {
    if (sent.byteLength > limits.maxDecodedBytes) throw tooLarge("request body", limits.maxDecodedBytes);
    return { sent, encoding: null, bytes: sent };
  }
  return { sent, encoding, bytes: await decompress(sent, encoding, limits.maxDecodedBytes) };
}
