// The LLM stand-ins on a local port, for `pnpm dev`, e2e and the bench (the workers tests reach the
// same handler through miniflare's outbound service instead). Bodies are written as the handler
// produces them, so SSE arrives event by event. Run directly, it prints its origin:
//   node scripts/llm-stand-ins/server.ts [--port 8790]
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { handleLlmStandIn, llmStandInVars } from "./handler.ts";

export type FetchHandler = (request: Request) => Promise<Response>;

export interface LlmStandIns {
  /** Origin, e.g. http://127.0.0.1:41234 (no trailing slash); base URLs are `${url}/openai/v1` etc. */
  url: string;
  stop(): Promise<void>;
}

/** Hop-by-hop or recomputed headers that must not be copied onto the web Request. */
const SKIPPED_REQUEST_HEADERS = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
]);

/** Adapts a fetch-style handler to node:http, streaming the response body and aborting on disconnect. */
export function nodeListener(handler: FetchHandler) {
  return (req: IncomingMessage, res: ServerResponse) => {
    void serve(handler, req, res);
  };
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort(new Error("the client closed the connection"));
  });
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.from(chunk));
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (SKIPPED_REQUEST_HEADERS.has(name) || value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    const method = req.method ?? "GET";
    const request = new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" || chunks.length === 0 ? null : Buffer.concat(chunks),
      signal: abort.signal,
    });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    // Headers go out now, before the first event of a stream is produced.
    res.flushHeaders();
    if (response.body) {
      const reader = response.body.getReader();
      abort.signal.addEventListener("abort", () => void reader.cancel().catch(() => undefined), {
        once: true,
      });
      for (;;) {
        const { done, value } = await reader.read();
        if (done || abort.signal.aborted) break;
        if (!res.write(value)) await once(res, "drain", { signal: abort.signal });
      }
    }
    res.end();
  } catch (error) {
    if (abort.signal.aborted) res.destroy();
    else if (res.headersSent) res.destroy(error instanceof Error ? error : new Error(String(error)));
    else {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(`LLM stand-in failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

/**
 * Serves a stand-in handler on a local port (0: a free one) until `stop()`; the notification
 * stand-ins use it too. `what` names them in the error of a server that got no port.
 */
export async function serveStandIn(
  handler: (request: Request) => Promise<Response>,
  options: { port?: number; host?: string },
  what: string,
): Promise<LlmStandIns> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer(nodeListener(handler));
  server.listen(options.port ?? 0, host);
  await once(server, "listening");
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error(`the ${what} got no port`);
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    // Idempotent: a failed start and its cleanup may both call it.
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets and streams still being read (e.g. stand-in-slow) must not hold stop().
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

export function startLlmStandIns(options: { port?: number; host?: string } = {}): Promise<LlmStandIns> {
  return serveStandIn(handleLlmStandIn, options, "LLM stand-ins");
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { port: { type: "string" }, host: { type: "string" } } });
  const standIns = await startLlmStandIns({
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.host ? { host: values.host } : {}),
  });
  console.log(standIns.url);
  for (const [name, value] of Object.entries(llmStandInVars(standIns.url)))
    console.error(`  ${name}=${value}`);
  const stop = () => void standIns.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
