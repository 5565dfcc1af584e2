// The raw bodies of envelopes that carried an event, kept gzipped in the ERRORS bucket for 30 days
// (the consumers' retention): what the SDK sent, should the normalised event lose something that
// matters. A gzip body is stored as it came; anything else is compressed here.
import type { IngestBody } from "./body.ts";

export function rawBodyKey(companyId: string, projectId: number, receivedAt: number): string {
  const day = new Date(receivedAt).toISOString().slice(0, 10);
  return `companies/${companyId}/errors/raw/${day}/${projectId}/${crypto.randomUUID()}.gz`;
}

async function gzipped(body: IngestBody): Promise<Uint8Array> {
  if (body.encoding === "gzip") return body.sent;
  const stream = new Blob([body.bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function storeRawBody(bucket: R2Bucket, key: string, body: IngestBody): Promise<void> {
  await bucket.put(key, await gzipped(body), {
    httpMetadata: { contentType: "application/gzip" },
  });
}
