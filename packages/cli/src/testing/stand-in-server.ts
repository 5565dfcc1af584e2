// What the CLI's stand-ins for the Nexus API's routes share: a local server whose routes are matched
// on the contract's paths, every request recorded, handlers that answer with a status and a body or
// throw StandInError to answer with the API's error envelope, and the checks the real API makes on
// what a client sends (JSON bodies against the contract's schemas, uploaded bytes against
// Content-Length and the part sizes).
import { type ErrorCode, errorStatus } from "@nexus/contracts";
import { startLocalServer } from "./http-server.ts";

/** Thrown by a handler (or a check) to answer with the API's error envelope for `code`. */
export class StandInError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** `{name}` segments of a contract path as a regex with named groups. */
export function pathPattern(template: string): RegExp {
  const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, "(?<$1>[^/]+)");
  return new RegExp(`^${source}$`);
}

export interface StandInRequest {
  method: string;
  path: string;
  search: string;
  contentLength: string | null;
  authorization: string | null;
}

export interface StandInRoute {
  method: string;
  path: string;
}

/** A route's answer; `params` are the route's `{name}` segments, URL-decoded. */
export type StandInHandler = (
  request: Request,
  params: Record<string, string>,
) => Promise<{ status: number; body: unknown }>;

export interface StandInServerOptions {
  /** Runs on every request before it is routed; throws StandInError to refuse it (a bad credential). */
  authorize(request: Request): void;
  /** Runs on a matched route's params before its handler; throws StandInError to refuse them. */
  checkParams?(params: Record<string, string>): void;
}

export interface StandInServer {
  url: string;
  /** Every request received, in order. */
  requests: StandInRequest[];
  /** Adds a route, matched on the contract's method and path; the first added that matches answers. */
  on(route: StandInRoute, handler: StandInHandler): void;
  close(): Promise<void>;
}

export async function startStandInServer(options: StandInServerOptions): Promise<StandInServer> {
  const requests: StandInRequest[] = [];
  const table: { method: string; pattern: RegExp; handler: StandInHandler }[] = [];

  const server = await startLocalServer(async (request) => {
    const url = new URL(request.url);
    const requestId = `req_${requests.length + 1}`;
    requests.push({
      method: request.method,
      path: url.pathname,
      search: url.search,
      contentLength: request.headers.get("content-length"),
      authorization: request.headers.get("authorization"),
    });
    try {
      options.authorize(request);
      for (const { method, pattern, handler } of table) {
        const match = pattern.exec(url.pathname);
        if (!match || method !== request.method) continue;
        const params = Object.fromEntries(
          Object.entries(match.groups ?? {}).map(([name, value]) => [name, decodeURIComponent(value)]),
        );
        options.checkParams?.(params);
        const answer = await handler(request, params);
        return Response.json(answer.body, { status: answer.status });
      }
      throw new StandInError("NOT_FOUND", `No route for ${request.method} ${url.pathname}`);
    } catch (error) {
      if (!(error instanceof StandInError)) throw error;
      return Response.json(
        { success: false, error: { code: error.code, message: error.message, request_id: requestId } },
        { status: errorStatus[error.code] },
      );
    }
  });

  return {
    url: server.url,
    requests,
    on: (route, handler) =>
      table.push({ method: route.method.toUpperCase(), pattern: pathPattern(route.path), handler }),
    close: server.close,
  };
}

/** What a stand-in needs of a contract's zod schema. */
interface BodySchema<T> {
  safeParse(
    data: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
}

/** The request's JSON body checked against the contract's schema: VALIDATION_FAILED when it does not fit. */
export async function jsonBody<T>(request: Request, schema: BodySchema<T>): Promise<T> {
  const input = schema.safeParse(await request.json().catch(() => undefined));
  if (!input.success) {
    throw new StandInError("VALIDATION_FAILED", input.error.issues[0]?.message ?? "invalid");
  }
  return input.data;
}

/** The request's bytes, which the API takes only with a Content-Length of exactly `exact`. */
export async function exactBody(request: Request, exact: number): Promise<Buffer> {
  const header = request.headers.get("content-length");
  if (header === null || !/^\d+$/.test(header)) {
    throw new StandInError("LENGTH_REQUIRED", "Send the bytes with a Content-Length header.");
  }
  if (Number(header) !== exact) {
    throw new StandInError("VALIDATION_FAILED", `Expected ${exact} bytes, got ${header}.`);
  }
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length !== exact) {
    throw new StandInError(
      "VALIDATION_FAILED",
      `Content-Length ${header} but ${bytes.length} bytes arrived.`,
    );
  }
  return bytes;
}

/**
 * The size part `partNumber` of a `size`-byte upload in parts of `partSize` must have (the last
 * takes the rest); VALIDATION_FAILED, naming the upload as `what`, for a part number out of range.
 */
export function partBytes(partNumber: number, size: number, partSize: number, what: string): number {
  const count = Math.ceil(size / partSize);
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > count) {
    throw new StandInError(
      "VALIDATION_FAILED",
      `${what} has ${count} parts; there is no part ${partNumber}.`,
    );
  }
  return partNumber < count ? partSize : size - partSize * (count - 1);
}

/** A copy of the bytes received, the first one flipped when `corrupt`, as if damaged on the way. */
export function arrived(received: Buffer, corrupt: boolean): Buffer {
  const bytes = Buffer.from(received);
  if (corrupt && bytes.length > 0) bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  return bytes;
}
