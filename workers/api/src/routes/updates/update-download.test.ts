import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, validatedMachine } from "../../../test/helpers.ts";
import { bytesOf, feed, publishRelease, sha512Base64 } from "../../../test/releases.ts";
import { ARTIFACT, publishedArtifact, SIZE } from "./fixtures.ts";

/** Splits a multipart/byteranges body into its parts (headers and bytes). */
function multipartParts(body: Uint8Array, boundary: string) {
  const text = new TextDecoder("latin1").decode(body);
  const parts: { headers: Record<string, string>; data: Uint8Array }[] = [];
  let cursor = 0;
  for (;;) {
    const marker = `--${boundary}`;
    const at = text.indexOf(marker, cursor);
    expect(at, "boundary").toBeGreaterThanOrEqual(0);
    const after = at + marker.length;
    if (text.slice(after, after + 4) === "--\r\n") {
      expect(after + 4).toBe(body.byteLength); // nothing after the closing delimiter
      return parts;
    }
    expect(text.slice(after, after + 2)).toBe("\r\n");
    const headerEnd = text.indexOf("\r\n\r\n", after);
    const headers = Object.fromEntries(
      text
        .slice(after + 2, headerEnd)
        .split("\r\n")
        .map((line) => line.split(": ", 2) as [string, string])
        .map(([name, value]) => [name.toLowerCase(), value]),
    );
    const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headers["content-range"] ?? "");
    expect(match, headers["content-range"]).not.toBeNull();
    const length = Number(match?.[2]) - Number(match?.[1]) + 1;
    const dataStart = headerEnd + 4;
    parts.push({ headers, data: body.subarray(dataStart, dataStart + length) });
    expect(text.slice(dataStart + length, dataStart + length + 2)).toBe("\r\n");
    cursor = dataStart + length + 2;
  }
}

describe("artifact downloads", () => {
  it("streams the whole file with its ETag, answers If-None-Match with 304 and HEAD without a body", async () => {
    const { auth, bytes } = await publishedArtifact();
    const response = await feed(ARTIFACT, auth);
    expect(response.status).toBe(200);
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("content-length")).toBe(String(SIZE));
    const etag = response.headers.get("etag");
    expect(etag).toBe(`"${await sha512Base64(bytes)}"`);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);

    const cached = await feed(ARTIFACT, auth, { "if-none-match": etag ?? "" });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe("");

    const head = await feed(ARTIFACT, auth, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(SIZE));
    expect(await head.text()).toBe("");

    // The seed's download route serves the same file.
    const seedRoute = await feed(`download/${ARTIFACT}`, auth);
    expect(new Uint8Array(await seedRoute.arrayBuffer())).toEqual(bytes);
  });

  it("answers a single range with 206 and Content-Range, and suffix and open ranges too", async () => {
    const { auth, bytes } = await publishedArtifact();
    const cases: [string, number, number][] = [
      ["bytes=100-199", 100, 199],
      ["bytes=199000-", 199000, SIZE - 1],
      ["bytes=-500", SIZE - 500, SIZE - 1],
      ["bytes=150000-999999999", 150000, SIZE - 1],
    ];
    for (const [range, start, end] of cases) {
      const response = await feed(ARTIFACT, auth, { range });
      expect(response.status, range).toBe(206);
      expect(response.headers.get("content-range")).toBe(`bytes ${start}-${end}/${SIZE}`);
      expect(response.headers.get("content-length")).toBe(String(end - start + 1));
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes.subarray(start, end + 1));
    }
  });

  it("answers several ranges as multipart/byteranges, parts in the requested order with exact lengths", async () => {
    const { auth, bytes } = await publishedArtifact();
    // Close ranges (read together from R2), a far one, and one out of order.
    const ranges: [number, number][] = [
      [0, 9],
      [20, 1023],
      [150_000, 150_099],
      [5000, 5000],
      [SIZE - 10, SIZE - 1],
    ];
    const response = await feed(ARTIFACT, auth, {
      range: `bytes=${ranges.map(([a, b]) => `${a}-${b}`).join(", ")}`,
    });
    expect(response.status).toBe(206);
    const type = response.headers.get("content-type") ?? "";
    const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(type)?.[1];
    expect(boundary, type).toBeDefined();
    const body = new Uint8Array(await response.arrayBuffer());
    expect(response.headers.get("content-length")).toBe(String(body.byteLength));
    const parts = multipartParts(body, boundary ?? "");
    expect(parts.map((part) => part.headers["content-range"])).toEqual(
      ranges.map(([a, b]) => `bytes ${a}-${b}/${SIZE}`),
    );
    parts.forEach((part, index) => {
      const [a, b] = ranges[index] ?? [0, 0];
      expect(part.data).toEqual(bytes.subarray(a, b + 1));
    });
  });

  it("answers 416 with Content-Range for ranges past the end, and ignores malformed Range headers", async () => {
    const { auth, bytes } = await publishedArtifact();
    const past = await feed(ARTIFACT, auth, { range: `bytes=${SIZE}-` });
    expect(past.headers.get("content-range"), await past.clone().text()).toBe(`bytes */${SIZE}`);
    await expectError(past, 416, "RANGE_NOT_SATISFIABLE");
    for (const range of ["bytes=5-1", "items=0-5", "bytes=abc", "bytes=-"]) {
      const response = await feed(ARTIFACT, auth, { range });
      expect(response.status, range).toBe(200);
      expect(new Uint8Array(await response.arrayBuffer()).byteLength).toBe(bytes.byteLength);
    }
  });

  it("serves nothing of drafts, other channels or unknown names", async () => {
    const { auth } = await publishedArtifact();
    const draft = await callAsOperator("/api/admin/releases", {
      body: {
        channel: "stable",
        version: "3.0.0",
        files: [
          {
            name: "Nexus-Setup-3.0.0.exe",
            platform: "win",
            size: 10,
            sha512: await sha512Base64(bytesOf(10)),
          },
        ],
      },
    });
    expect(draft.status).toBe(201);
    await expectError(await feed("Nexus-Setup-3.0.0.exe", auth), 404, "FILE_NOT_FOUND");
    await publishRelease("4.0.0-beta.1", {
      channel: "beta",
      files: [{ name: "Nexus-Setup-4.0.0-beta.1.exe", platform: "win", bytes: bytesOf(10) }],
    });
    await expectError(await feed("Nexus-Setup-4.0.0-beta.1.exe", auth), 404, "FILE_NOT_FOUND");
    await expectError(await feed("nothing.exe", auth), 404, "FILE_NOT_FOUND");
  });

  it("limits full downloads per installation", async () => {
    const { auth } = await publishedArtifact();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await feed(ARTIFACT, auth);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await feed(ARTIFACT, auth);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(limited.headers.get("ratelimit-policy")).toBe('"download";q=5;w=3600');
    await expectError(limited, 429, "RATE_LIMITED");
    // Another installation has its own limit.
    const other = await validatedMachine(auth.companyCode, "other-pc");
    expect((await feed(ARTIFACT, { ...auth, token: other.installation.token })).status).toBe(200);
  });

  it("counts the ranged requests of one differential download as one download, and blockmaps as none", async () => {
    const { auth } = await publishedArtifact();
    // A differential download: many ranged requests for the same release take one token.
    for (let i = 0; i < 12; i++) {
      const response = await feed(ARTIFACT, auth, {
        range: `bytes=${i * 100}-${i * 100 + 49}, ${i * 1000 + 5000}-${i * 1000 + 5099}`,
      });
      expect(response.status).toBe(206);
      await response.arrayBuffer();
    }
    // Four more full downloads fit the limit of five, the fifth does not.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await feed(ARTIFACT, auth);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    // The download under way continues: its ranged requests are still answered.
    expect((await feed(ARTIFACT, auth, { range: "bytes=0-9" })).status).toBe(206);
    expect((await feed(ARTIFACT, auth, {}, "HEAD")).status).toBe(200);
  });
});
