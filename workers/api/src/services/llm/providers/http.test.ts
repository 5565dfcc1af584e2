import { describe, expect, it } from "vitest";
import { isRetryableStatus, mapSse, redactSecrets } from "./http.ts";
import { collect } from "./test-support.ts";

describe("provider HTTP helpers", () => {
  it("retries on 408, 429 and 5xx only", () => {
    for (const status of [408, 429, 500, 502, 503, 504, 529]) expect(isRetryableStatus(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 413, 422]) expect(isRetryableStatus(status)).toBe(false);
  });

  it("cuts the key and key-shaped strings out of messages, and bounds their length", () => {
    const key = "AIzaSyD-0123456789abcdefghijklmnop";
    expect(redactSecrets(`bad key ${key} given`, key)).toBe("bad key [redacted] given");
    expect(redactSecrets("Incorrect API key provided: sk-proj-***********abcd.", "other")).toBe(
      "Incorrect API key provided: [redacted].",
    );
    expect(redactSecrets("key nxk_live_secretvalue leaked", "")).toBe("key [redacted] leaked");
    expect(redactSecrets("x".repeat(1000), "")).toHaveLength(301);
    expect(redactSecrets("skipped: risky task for AIza", "")).toBe("skipped: risky task for AIza");
  });

  it("ends the events quietly when the upstream body breaks off", async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls === 1) controller.enqueue(new TextEncoder().encode("data: a\n\n"));
        else controller.error(new TypeError("Network connection lost."));
      },
    });
    const events = mapSse(body, {
      onEvent: (event) => [{ type: "text", text: event.data }],
      onEnd: () => [{ type: "finish", reason: "stop" }],
    });
    expect(await collect(events)).toEqual([{ type: "text", text: "a" }]);
  });
});
