// The Node server: SSE leaves as it is produced (no buffering), and stop() does not wait for a
// request the stand-in is still sitting on.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { nodeListener, startLlmStandIns } from "./server.ts";

describe("LLM stand-in server", () => {
  it("writes each part of a streamed body as soon as the handler produces it", async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const encoder = new TextEncoder();
    const server = createServer(
      nodeListener(async () => {
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode("data: first\n\n"));
            await released;
            controller.enqueue(encoder.encode("data: second\n\n"));
            controller.close();
          },
        });
        return new Response(body, { headers: { "content-type": "text/event-stream" } });
      }),
    ).listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`);
      const reader = response.body?.getReader();
      if (!reader) throw new Error("no body");
      // Read before the second part exists: a buffering adapter would never answer this.
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toBe("data: first\n\n");
      release();
      const second = await reader.read();
      expect(new TextDecoder().decode(second.value)).toBe("data: second\n\n");
      expect((await reader.read()).done).toBe(true);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("serves POST bodies and stops promptly with a stand-in-slow request still waiting", async () => {
    const standIns = await startLlmStandIns();
    expect(standIns.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const call = (model: string) =>
      fetch(`${standIns.url}/openai/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer sk-stand-in-test", "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "Hello" }] }),
      });
    const ok = await call("gpt-4o-mini");
    const completion = (await ok.json()) as { choices: { message: { content: string } }[] };
    expect(completion.choices[0]?.message.content).toBe("Stand-in reply to: Hello");
    const slow = call("stand-in-slow").catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await standIns.stop();
    expect(Date.now() - started).toBeLessThan(2000);
    // A second stop (a failed start's cleanup after stop()) resolves too.
    await standIns.stop();
    expect(await slow).toBeInstanceOf(Error);
  });
});
