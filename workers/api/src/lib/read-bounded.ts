/**
 * Reads a stream whole, or throws `onTooLarge()` as soon as it passes `limit` bytes (the rest is not
 * read): request bodies without a declared length, and decompressed bodies (a small gzip can inflate
 * without bound).
 */
export async function readBounded(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  onTooLarge: () => Error,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw onTooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
