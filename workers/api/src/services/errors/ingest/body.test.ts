import { describe, expect, it } from "vitest";
import { ApiError } from "../../../lib/errors.ts";
import { readIngestBody } from "./body.ts";
import { EnvelopeError } from "./envelope.ts";

const compress = async (bytes: Uint8Array, format: "gzip" | "deflate") =>
  new Uint8Array(
    await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream(format))).arrayBuffer(),
  );

const request = (body: Uint8Array, encoding?: string) =>
  new Request("http://x/", {
    method: "POST",
    body,
    headers: encoding ? { "content-encoding": encoding } : {},
  });

const limits = { maxBytes: 1000, maxDecodedBytes: 5000 };
const plain = new TextEncoder().encode("{}\n".repeat(100));

describe("readIngestBody", () => {
  it("decodes gzip and deflate, and reads plain bodies as they are", async () => {
    for (const format of ["gzip", "deflate"] as const) {
      const body = await readIngestBody(request(await compress(plain, format), format), limits);
      expect(body.encoding).toBe(format);
      expect(body.bytes).toEqual(plain);
    }
    expect((await readIngestBody(request(plain), limits)).bytes).toEqual(plain);
    // Already decompressed on the way (the header passed on): read as it is.
    expect((await readIngestBody(request(plain, "gzip"), limits)).encoding).toBeNull();
  });

  it("bounds the body as sent and once decompressed", async () => {
    const tooLarge = readIngestBody(request(new Uint8Array(1001)), limits);
    await expect(tooLarge).rejects.toBeInstanceOf(ApiError);
    await expect(tooLarge).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    const bomb = await compress(new Uint8Array(5001), "gzip");
    expect(bomb.byteLength).toBeLessThan(1000);
    await expect(readIngestBody(request(bomb, "gzip"), limits)).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      details: { limit_bytes: 5000 },
    });
  });

  it("refuses corrupt compressed data and unknown encodings", async () => {
    const corrupt = await compress(plain, "gzip");
    corrupt[20] = (corrupt[20] ?? 0) ^ 0xff;
    await expect(readIngestBody(request(corrupt.subarray(0, 30), "gzip"), limits)).rejects.toBeInstanceOf(
      EnvelopeError,
    );
    await expect(readIngestBody(request(plain, "br"), limits)).rejects.toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
  });
});
