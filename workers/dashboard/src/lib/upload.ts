// Uploads a draft release's declared files from the browser through the API: one PUT for a small
// file, the multipart routes for a large one. XMLHttpRequest rather than fetch: only it reports how
// far an upload has got (Chromium streams fetch bodies over HTTP/2 only), which the progress bar needs.

import { NexusApiError, NexusResponseError } from "@nexus/client/errors";
import { ErrorEnvelopeSchema, type Release, type RouteContract, routes } from "@nexus/contracts";
import { callApi, type ResponseOf, routeUrl, UNAUTHORIZED_EVENT } from "./api.ts";

type ReleaseFile = Release["files"][number];

/**
 * Files above this go in parts. The API takes single PUTs up to 95 MiB, but a single PUT that fails
 * at 90 % starts again from nothing; a failed part is sent again alone.
 */
export const MULTIPART_ABOVE = 24 * 1024 * 1024;
/** R2 needs parts of at least 5 MiB except the last; the API says which size it wants. */
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
/** Attempts per part when the network fails (the API's refusals are not retried: they would repeat). */
const PART_ATTEMPTS = 3;

export interface PartPlan {
  partNumber: number;
  start: number;
  /** Exclusive. */
  end: number;
}

/** The parts of a `size`-byte file in parts of exactly `partSize` bytes, the last one smaller. */
export function planParts(size: number, partSize: number): PartPlan[] {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`cannot split ${size} bytes into parts`);
  if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE) {
    throw new RangeError(`the API asked for parts of ${partSize} bytes; R2 needs at least ${MIN_PART_SIZE}`);
  }
  const count = Math.ceil(size / partSize);
  if (count > MAX_PARTS)
    throw new RangeError(`${size} bytes would need ${count} parts (at most ${MAX_PARTS})`);
  return Array.from({ length: count }, (_, index) => ({
    partNumber: index + 1,
    start: index * partSize,
    end: Math.min(size, (index + 1) * partSize),
  }));
}

export interface UploadOptions {
  /** Bytes of this file the API has received so far. */
  onProgress?: (sent: number) => void;
  signal?: AbortSignal;
  /** Files above this many bytes go in parts (default MULTIPART_ABOVE). */
  multipartAbove?: number;
}

/** Uploads one declared file; the API checks its sha512 and answers the file as it is now stored. */
export async function uploadReleaseFile(
  target: { releaseId: string; fileName: string },
  file: Blob,
  options: UploadOptions = {},
): Promise<ReleaseFile> {
  const report = options.onProgress ?? (() => {});
  if (file.size <= (options.multipartAbove ?? MULTIPART_ABOVE)) {
    const answer = await sendBytes(routes.uploadReleaseFile, target, file, report, options.signal);
    return answer.file;
  }
  const started = await callApi(routes.startMultipartUpload, { params: target, signal: options.signal });
  const upload = { ...target, uploadId: started.upload_id };
  const parts: { part_number: number; etag: string }[] = [];
  for (const part of planParts(file.size, started.part_size)) {
    const bytes = file.slice(part.start, part.end);
    const params = { ...upload, partNumber: String(part.partNumber) };
    const sent = await withRetries(() =>
      sendBytes(routes.uploadMultipartPart, params, bytes, (n) => report(part.start + n), options.signal),
    );
    parts.push({ part_number: sent.part_number, etag: sent.etag });
  }
  const completed = await callApi(routes.completeMultipartUpload, {
    params: upload,
    body: { parts },
    signal: options.signal,
  });
  return completed.file;
}

async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      // Only a failed network (a TypeError, as fetch gives) is worth the same request again.
      if (!(error instanceof TypeError) || tries >= PART_ATTEMPTS) throw error;
    }
  }
}

/** PUTs raw bytes to a route (its params filled in), reporting progress; answers like callApi. */
function sendBytes<R extends RouteContract>(
  route: R,
  params: Record<string, string>,
  body: Blob,
  onProgress: (sent: number) => void,
  signal: AbortSignal | undefined,
): Promise<ResponseOf<R>> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const request = new XMLHttpRequest();
    request.open(route.method.toUpperCase(), routeUrl(route.path, params));
    request.setRequestHeader("accept", "application/json");
    request.setRequestHeader("content-type", "application/octet-stream");
    request.upload.onprogress = (event) => onProgress(event.loaded);
    const abort = () => request.abort();
    signal?.addEventListener("abort", abort, { once: true });
    request.onloadend = () => signal?.removeEventListener("abort", abort);
    request.onerror = () => reject(new TypeError(`The upload to ${route.path} failed on the network.`));
    request.onabort = () =>
      reject(signal?.reason ?? new DOMException("The upload was stopped.", "AbortError"));
    request.onload = () => {
      try {
        resolve(readAnswer(route, request));
      } catch (error) {
        reject(error);
      }
    };
    request.send(body);
  });
}

/** The route's answer checked against its contract, or the API's error as the client package's types. */
function readAnswer<R extends RouteContract>(route: R, request: XMLHttpRequest): ResponseOf<R> {
  const { status, responseText } = request;
  const requestId = request.getResponseHeader("x-request-id") ?? undefined;
  const outside = (what: string, cause?: unknown) =>
    new NexusResponseError(`HTTP ${status} from ${route.path}: ${what}.`, {
      status,
      requestId,
      body: responseText,
      cause,
    });
  let json: unknown;
  try {
    json = JSON.parse(responseText);
  } catch (cause) {
    throw outside("not JSON", cause);
  }
  if (status >= 200 && status < 300) {
    const answer = route.response.safeParse(json);
    if (!answer.success) throw outside("outside its contract", answer.error);
    return answer.data as ResponseOf<R>;
  }
  const envelope = ErrorEnvelopeSchema.safeParse(json);
  if (!envelope.success) throw outside("no error envelope");
  if (status === 401) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  const { code, message, details, request_id } = envelope.data.error;
  throw new NexusApiError({ status, code, message, details, requestId: request_id, retryAfterMs: undefined });
}
