// What the raw R2 reader (bench/raw-r2-worker.ts) serves, shared with the node side of the bench.

/** Path prefix Miniflare routes to this worker (a `routes` pattern of its options). */
export const RAW_R2_PREFIX = "/__raw-r2/";

/** `bytes=a-b` as an R2 range; anything else (open-ended, suffix, several ranges) is not served. */
export function singleRange(header: string | null): { offset: number; length: number } | null {
  const match = /^bytes=(\d+)-(\d+)$/.exec(header?.trim() ?? "");
  if (!match) return null;
  const start = Number(match[1]);
  const end = Number(match[2]);
  return end >= start ? { offset: start, length: end - start + 1 } : null;
}
