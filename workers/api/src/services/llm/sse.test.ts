import { describe, expect, it } from "vitest";
import { parseSse, type SseEvent } from "./sse.ts";

/** A body that delivers `bytes` cut at the given offsets. */
function bodyOf(text: string, cuts: number[] = []): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const bounds = [0, ...cuts, bytes.length];
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      const start = bounds[index];
      const end = bounds[index + 1];
      index += 1;
      if (start === undefined || end === undefined) return controller.close();
      controller.enqueue(bytes.slice(start, end));
    },
  });
}

async function parse(text: string, cuts: number[] = []): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of parseSse(bodyOf(text, cuts))) events.push(event);
  return events;
}

describe("parseSse", () => {
  it("reads named and unnamed events, joins multi-line data, skips comments and unknown fields", async () => {
    const text =
      ': keep-alive\nevent: message_start\ndata: {"a":1}\n\nid: 7\nretry: 100\ndata: line one\ndata:line two\ndata\n\n';
    expect(await parse(text)).toEqual([
      { event: "message_start", data: '{"a":1}' },
      { data: "line one\nline two\n" },
    ]);
  });

  it("accepts CRLF and lone CR line ends, also with the CRLF pair split between chunks", async () => {
    const text = "data: a\r\n\r\ndata: b\r\rdata: c\r\n\r\n";
    const expected = [{ data: "a" }, { data: "b" }, { data: "c" }];
    expect(await parse(text)).toEqual(expected);
    for (let cut = 1; cut < text.length; cut++) expect(await parse(text, [cut])).toEqual(expected);
  });

  it("decodes UTF-8 split anywhere, byte by byte included", async () => {
    const text = 'data: {"t":"héllo → 世界 🎉"}\n\n';
    const length = new TextEncoder().encode(text).length;
    const everyByte = Array.from({ length: length - 1 }, (_, index) => index + 1);
    expect(await parse(text, everyByte)).toEqual([{ data: '{"t":"héllo → 世界 🎉"}' }]);
  });

  it("drops an event the body ended in the middle of, and events without data", async () => {
    expect(await parse("event: ping\n\ndata: whole\n\ndata: half")).toEqual([{ data: "whole" }]);
    expect(await parse("data: no blank line\n")).toEqual([]);
  });

  it("strips only one space after the colon, and does not carry an event name to the next event", async () => {
    expect(await parse("event: x\ndata:  two spaces\n\ndata: next\n\n")).toEqual([
      { event: "x", data: " two spaces" },
      { data: "next" },
    ]);
  });

  it("cancels the body when the consumer stops early", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode("data: tick\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of parseSse(body)) {
      expect(event).toEqual({ data: "tick" });
      break;
    }
    expect(cancelled).toBe(true);
  });

  it("passes a read error on to the consumer", async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls === 1) controller.enqueue(new TextEncoder().encode("data: first\n\ndata: half"));
        else controller.error(new Error("connection reset"));
      },
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of parseSse(body)) seen.push(event.data);
      })(),
    ).rejects.toThrow("connection reset");
    expect(seen).toEqual(["first"]);
  });
});
