// HTTP range requests over R2 (RFC 9110 §14). R2's binding reads one range per call, so a
// multi-range request is answered by the Worker: requested ranges that follow each other closely
// are read with one R2 call and cut apart, and the parts are written as `multipart/byteranges` with
// CRLF line endings, in the requested order, with exact lengths — what electron-updater's
// differential downloader parses.

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export type RangeRequest =
  | { kind: "full" }
  | { kind: "unsatisfiable" }
  | { kind: "ranges"; ranges: ByteRange[] };

/** At most this many ranges per request are honoured; electron-updater sends up to 1000. */
export const MAX_RANGES = 1000;
/** At most this many R2 reads per multi-range response (close ranges share one read). */
export const MAX_READS = 32;

/**
 * Parses a `Range` header against a representation of `size` bytes. A header that is not a valid
 * `bytes=` range set is ignored (a full response), as RFC 9110 asks; a valid set none of whose
 * ranges is satisfiable is unsatisfiable (416).
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: "full" };
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!match?.[1]) return { kind: "full" };
  const specs = match[1].split(",").map((spec) => spec.trim());
  if (specs.length > MAX_RANGES) return { kind: "full" };
  const ranges: ByteRange[] = [];
  for (const spec of specs) {
    const parts = /^(\d*)-(\d*)$/.exec(spec);
    if (!parts || (parts[1] === "" && parts[2] === "")) return { kind: "full" };
    const [, first = "", last = ""] = parts;
    if (first === "") {
      // Suffix range: the last N bytes.
      const length = Number(last);
      if (length === 0) continue;
      ranges.push({ start: Math.max(0, size - length), end: size - 1 });
      continue;
    }
    const start = Number(first);
    if (last !== "" && Number(last) < start) return { kind: "full" };
    if (start >= size) continue;
    ranges.push({ start, end: last === "" ? size - 1 : Math.min(Number(last), size - 1) });
  }
  if (ranges.length === 0) return { kind: "unsatisfiable" };
  return { kind: "ranges", ranges };
}

/** Consecutive ranges read together, and the ranges cut out of that read. */
export interface ReadPlan {
  start: number;
  end: number;
  parts: ByteRange[];
}

/**
 * Groups the ranges, in their requested order, into as few R2 reads as needed: a range joins the
 * previous read when it starts after it and the bytes skipped in between are few. The allowed gap
 * doubles until the plan fits MAX_READS; ranges out of order never share a read, so a request
 * with too many of those gets null (the caller then answers with the whole file, as RFC 9110 permits).
 */
export function planReads(ranges: ByteRange[], size: number): ReadPlan[] | null {
  for (let gap = 64 * 1024; ; gap *= 2) {
    const plans: ReadPlan[] = [];
    for (const range of ranges) {
      const last = plans.at(-1);
      if (last && range.start > last.end && range.start - last.end - 1 <= gap) {
        last.end = range.end;
        last.parts.push(range);
      } else {
        plans.push({ start: range.start, end: range.end, parts: [range] });
      }
    }
    if (plans.length <= MAX_READS) return plans;
    if (gap >= size) return null;
  }
}

const encoder = new TextEncoder();

export interface MultipartLayout {
  boundary: string;
  contentType: string;
  size: number;
}

function partHeader(layout: MultipartLayout, range: ByteRange): Uint8Array {
  return encoder.encode(
    `--${layout.boundary}\r\nContent-Type: ${layout.contentType}\r\nContent-Range: bytes ${range.start}-${range.end}/${layout.size}\r\n\r\n`,
  );
}

const CRLF = encoder.encode("\r\n");
const closing = (boundary: string) => encoder.encode(`--${boundary}--\r\n`);

/** The exact byte length of the multipart body, so the response can carry Content-Length. */
export function multipartLength(layout: MultipartLayout, ranges: ByteRange[]): number {
  let total = closing(layout.boundary).byteLength;
  for (const range of ranges) {
    total += partHeader(layout, range).byteLength + (range.end - range.start + 1) + CRLF.byteLength;
  }
  return total;
}

/** Reads `length` bytes at `offset` of the object. */
export type ReadRange = (offset: number, length: number) => Promise<ReadableStream<Uint8Array>>;

/** Writes the multipart body: each read's bytes are cut into its parts, gaps dropped. */
export async function writeMultipart(
  writer: WritableStreamDefaultWriter<Uint8Array>,
  layout: MultipartLayout,
  plans: ReadPlan[],
  read: ReadRange,
): Promise<void> {
  for (const plan of plans) {
    const reader = (await read(plan.start, plan.end - plan.start + 1)).getReader();
    let position = plan.start; // object offset of the next byte the reader yields
    let partIndex = 0;
    let part = plan.parts[0];
    if (part) await writer.write(partHeader(layout, part));
    while (part) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`R2 ended the read early at byte ${position} of ${plan.start}-${plan.end}`);
      let offset = 0;
      while (part && offset < value.byteLength) {
        const chunkStart = position + offset;
        if (chunkStart < part.start) {
          // Bytes of the gap before this part.
          offset += Math.min(part.start - chunkStart, value.byteLength - offset);
          continue;
        }
        const take = Math.min(part.end - chunkStart + 1, value.byteLength - offset);
        await writer.write(value.subarray(offset, offset + take));
        offset += take;
        if (chunkStart + take - 1 === part.end) {
          await writer.write(CRLF);
          partIndex += 1;
          part = plan.parts[partIndex];
          if (part) await writer.write(partHeader(layout, part));
        }
      }
      position += value.byteLength;
    }
    await reader.cancel().catch(() => undefined);
  }
  await writer.write(closing(layout.boundary));
}
