import { drizzle } from "drizzle-orm/d1";
import type { MiddlewareHandler } from "hono";
import type { AppEnv, CentralDb } from "../env.ts";

const requestIdPattern = /^[A-Za-z0-9._:-]{8,128}$/;

// A drizzle instance holds no request state (it wraps the binding and the dialect), so one per
// binding object is enough; building it on every request was 2-3 % of the no-op route's CPU.
const centralDbs = new WeakMap<D1Database, CentralDb>();

function centralDb(binding: D1Database): CentralDb {
  let db = centralDbs.get(binding);
  if (!db) {
    db = drizzle(binding);
    centralDbs.set(binding, db);
  }
  return db;
}

/**
 * Request-scoped services: a request id (a caller's own X-Request-Id is kept when it is sane, so
 * logs can be joined across systems), the central database, and an anonymous actor until an auth
 * middleware says otherwise. Nothing request-scoped is module-global.
 */
export const init: MiddlewareHandler<AppEnv> = async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && requestIdPattern.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", requestId);
  c.set("db", centralDb(c.env.CENTRAL_DB));
  c.set("actor", { type: "anonymous", id: null });
  c.set("caller", { kind: "anonymous" });
  await next();
  // Set once on the finished response (errors included): a header prepared before the handler makes
  // hono copy it into every response it builds. A WebSocket upgrade (101) comes from a Durable
  // Object with immutable headers.
  if (c.res.status !== 101) c.res.headers.set("X-Request-Id", requestId);
};
