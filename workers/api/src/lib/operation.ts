// The contract is the mount point: `operation(id, handler)` mounts the catalogue entry `id` with
// its method and path, the access guard of its auth scheme, validation of its path, query and body,
// and its success status. The handler gets the validated input and the caller typed from the entry,
// and returns the response body, which the compiler checks against the entry's response schema.
import { type RouteContract, routes } from "@nexus/contracts";
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { AppEnv } from "../env.ts";
import { accessFor } from "../middleware/access.ts";
import type { CallerOf } from "../middleware/caller.ts";
import { DEFAULT_BODY_LIMIT, jsonBody } from "./json-body.ts";
import { honoPath, validParams, validQuery } from "./route.ts";

type Parsed<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** What a handler is handed: the validated path parameters, query and JSON body, and who called. */
export interface OperationInput<R extends RouteContract> {
  params: R extends { params: infer P } ? Parsed<P> : Record<string, never>;
  query: R extends { query: infer Q } ? Parsed<Q> : Record<string, never>;
  /** Absent for raw-byte uploads (`rawBody`), which read `c.req.raw.body` themselves. */
  body: R extends { rawBody: true } ? undefined : R extends { body: infer B } ? Parsed<B> : undefined;
  caller: CallerOf<R["auth"]>;
}

const statusMark: unique symbol = Symbol("status");

/** A body answered with another status than the entry's (e.g. 200 for an upsert that found the row). */
export interface WithStatus<B> {
  readonly [statusMark]: ContentfulStatusCode;
  readonly body: B;
}

export const withStatus = <B>(status: ContentfulStatusCode, body: B): WithStatus<B> => ({
  [statusMark]: status,
  body,
});

/**
 * What a handler returns: the JSON body its entry describes, or a Response for routes that are not
 * JSON (files, WebSocket upgrades) and for the stream a `streamType` route may answer instead.
 */
export type ReplyOf<R extends RouteContract> = R extends { responseType: string }
  ? Response
  : R extends { status: 101 }
    ? Response
    : R extends { streamType: string }
      ? z.input<R["response"]> | Response
      : z.input<R["response"]> | WithStatus<z.input<R["response"]>>;

type Routes = typeof routes;
export type OperationId = keyof Routes;

export type OperationHandler<R extends RouteContract> = (
  c: Context<AppEnv>,
  input: OperationInput<R>,
) => Promise<ReplyOf<R>>;

export interface OperationOptions {
  /** The JSON body limit, when the default (64 KiB) does not fit the operation. */
  bodyLimit?: number;
}

/** One operation, ready to mount on the app. */
export interface Operation {
  readonly contract: RouteContract;
  mount(app: Hono<AppEnv>): void;
}

const isWithStatus = (value: unknown): value is WithStatus<unknown> =>
  typeof value === "object" && value !== null && statusMark in value;

/**
 * Mounts the catalogue entry `id`. The entry is named by its id (not passed as an object) so that
 * the compiler fixes the entry's types before it checks the handler: inferred from the handler too,
 * `success: true` would widen to boolean and no longer match the response schema.
 */
export function operation<K extends OperationId>(
  id: K,
  handler: OperationHandler<Routes[K]>,
  options: OperationOptions = {},
): Operation {
  const contract: RouteContract = routes[id];
  const access = accessFor(contract);
  // zod-validator's middleware is typed for any env; the chain is put together untyped by env.
  const validators: MiddlewareHandler[] = [];
  if (contract.params) validators.push(validParams(contract.params));
  if (contract.query) validators.push(validQuery(contract.query));
  if (contract.body && !contract.rawBody) {
    validators.push(jsonBody(contract.body, options.bodyLimit ?? DEFAULT_BODY_LIMIT));
  }
  const run: MiddlewareHandler<AppEnv> = async (c) => {
    const read = (target: "param" | "query" | "json"): unknown => c.req.valid(target as never);
    const input = {
      params: contract.params ? read("param") : {},
      query: contract.query ? read("query") : {},
      body: contract.body && !contract.rawBody ? read("json") : undefined,
      caller: c.get("caller"),
    } as OperationInput<Routes[K]>;
    const reply: unknown = await handler(c, input);
    if (reply instanceof Response) return reply;
    if (isWithStatus(reply)) return c.json(reply.body as object, reply[statusMark]);
    return c.json(reply as object, contract.status as ContentfulStatusCode);
  };
  return {
    contract,
    mount(app) {
      const chain = [...access.before, ...validators, ...access.after, run];
      // Hono's overloads want the handler list as a non-empty tuple; it always ends with `run`.
      app.on(contract.method.toUpperCase(), honoPath(contract.path), ...(chain as [MiddlewareHandler]));
    },
  };
}
