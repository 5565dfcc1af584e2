// The runtime's floor for the API's hot paths, measured in the same run: a bare Worker (no hono, no
// middleware) answering `GET /__floor/noop`, and the same Worker making one RPC to a Durable Object
// that does nothing (`GET /__floor/rpc`). The API's heartbeat and feed check each make one call to
// the company's hub, so `floor-rpc` against `floor-noop` is the share of throughput a single
// Durable Object call costs before any of our code runs. bench/build.ts bundles it; Miniflare routes
// the prefix to it.
import { DurableObject } from "cloudflare:workers";

interface Env {
  FLOOR: DurableObjectNamespace<FloorObject>;
}

export class FloorObject extends DurableObject<Env> {
  /** Takes and answers what a feed check's hub call does: a few strings in, a small object out. */
  decide(companyId: string, installationId: string): { allowed: boolean; key: string } {
    return { allowed: true, key: `${companyId}:${installationId}` };
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/__floor/noop") return Response.json({ status: "ok" });
    if (pathname === "/__floor/rpc") {
      const stub = env.FLOOR.get(env.FLOOR.idFromName("floor"));
      return Response.json(await stub.decide("company", "installation"));
    }
    return new Response("GET /__floor/noop or /__floor/rpc", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
