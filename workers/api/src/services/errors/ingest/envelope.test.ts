import { describe, expect, it } from "vitest";
import { EnvelopeError, parseEnvelope, parseEnvelopeHeader } from "./envelope.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (payload: Uint8Array) => new TextDecoder().decode(payload);
const parsed = (body: string) => {
  const { header, items } = parseEnvelope(bytes(body));
  return { header, items: items.map((item) => ({ type: item.type, payload: text(item.payload) })) };
};

describe("parseEnvelope", () => {
  it("reads items with and without length, with or without the last newline", () => {
    const body = '{"event_id":"abc"}\n{"type":"event","length":7}\n{"a":1}\n{"type":"session"}\n{"sid":"s"}';
    expect(parsed(body)).toEqual({
      header: { event_id: "abc" },
      items: [
        { type: "event", payload: '{"a":1}' },
        { type: "session", payload: '{"sid":"s"}' },
      ],
    });
    expect(parsed(`${body}\n`)).toEqual(parsed(body));
  });

  it("takes exactly `length` bytes, newlines and multi-byte characters included", () => {
    const payload = "line one\nline two ü💥";
    const length = bytes(payload).byteLength;
    const body = `{}\n{"type":"attachment","length":${length}}\n${payload}\n{"type":"event"}\n{}\n`;
    expect(parsed(body).items).toEqual([
      { type: "attachment", payload },
      { type: "event", payload: "{}" },
    ]);
  });

  it("accepts a header alone, an empty last payload, blank lines and CRLF line ends", () => {
    expect(parsed("{}")).toEqual({ header: {}, items: [] });
    expect(parsed("{}\n\n\n")).toEqual({ header: {}, items: [] });
    expect(parsed('{}\n{"type":"client_report","length":0}').items).toEqual([
      { type: "client_report", payload: "" },
    ]);
    expect(parsed('{}\n{"type":"event"}\n').items).toEqual([{ type: "event", payload: "" }]);
    expect(parsed('{}\r\n{"type":"event","length":2}\r\n{}\n').items).toEqual([
      { type: "event", payload: "{}" },
    ]);
  });

  it("refuses broken framing with a message saying where", () => {
    const cases: [string, RegExp][] = [
      ["", /empty/],
      ["   \n", /empty/],
      ["[]\n", /envelope header .* object/],
      ["{\n", /envelope header .* not JSON/],
      ['{}\n{"type":"event","length":9}\n{}', /declares 9 bytes but only 2 follow/],
      ['{}\n{"type":"event","length":2}\n{}}\n', /longer than its declared 2 bytes/],
      ['{}\n{"type":"event","length":-1}\n{}', /invalid `length`/],
      ['{}\n{"type":"event","length":"2"}\n{}', /invalid `length`/],
      ['{}\n{"type":"event","length":3}', /declares 3 bytes but the envelope ends/],
      ['{}\n{"length":2}\n{}', /no `type`/],
      ['{}\n{"type":""}\n{}', /no `type`/],
      ["{}\nnot json\n{}", /header of item 1 is not JSON/],
    ];
    for (const [body, message] of cases) {
      expect(() => parseEnvelope(bytes(body)), body).toThrow(EnvelopeError);
      expect(() => parseEnvelope(bytes(body)), body).toThrow(message);
    }
  });

  it("refuses more items than allowed", () => {
    const body = `{}\n${'{"type":"log"}\n{}\n'.repeat(5)}`;
    expect(parseEnvelope(bytes(body), 5).items).toHaveLength(5);
    expect(() => parseEnvelope(bytes(body), 4)).toThrow(/more than 4 items/);
  });

  it("reads the header alone without looking at the items", () => {
    expect(parseEnvelopeHeader(bytes('{"dsn":"x"}\n{broken'))).toEqual({ dsn: "x" });
  });
});
