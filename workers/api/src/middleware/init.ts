import { drizzle } from "drizzle-orm/d1";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

const requestIdPattern = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Request-scoped services: a request id (a caller's own X-Request-Id is kept when it is sane, so
 * logs can be joined across systems), the central database, and an anonymous actor until an auth
 * middleware says otherwise. Nothing here is module-global.
 */
export const init: MiddlewareHandler<AppEnv> = async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && requestIdPattern.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", requestId);
  c.set("db", drizzle(c.env.CENTRAL_DB));
  c.set("actor", { type: "anonymous", id: null });
  c.set("caller", { kind: "anonymous" });
  c.header("X-Request-Id", requestId);
  await next();
  // A WebSocket upgrade (101) comes from a Durable Object with immutable headers.
  if (c.res.status !== 101) c.res.headers.set("X-Request-Id", requestId);
};
