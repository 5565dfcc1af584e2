// Plain-fetch calls to the Nexus API for the operator commands. Responses are parsed with the
// contract schemas, so a CLI built against an older contract fails loudly instead of printing
// nonsense. (@nexus/client is not used on purpose: it is still being written.)
import { ErrorEnvelopeSchema, routes, TenantPoolStatusSchema } from "@nexus/contracts";
import { CliError } from "./errors.ts";
import type { Fetch } from "./io.ts";
import { describeError, isRecord } from "./util.ts";

export const DEFAULT_API_URL = "http://127.0.0.1:8787";

// Derived from the schema (zod itself is a dependency of @nexus/contracts, not of the CLI).
export type TenantPoolStatus = ReturnType<typeof TenantPoolStatusSchema.parse>;

/** The API answered with its error envelope. */
export class NexusApiError extends CliError {
  readonly status: number;
  readonly code: string;
  readonly requestId: string;

  constructor(status: number, code: string, message: string, requestId: string) {
    super(`${code}: ${message} (HTTP ${status}, request id ${requestId})`);
    this.name = "NexusApiError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

export interface NexusApiOptions {
  baseUrl: string;
  adminSecret: string;
  fetch: Fetch;
}

export async function getTenantPoolStatus(options: NexusApiOptions): Promise<TenantPoolStatus> {
  const route = routes.tenantPoolStatus;
  const body = await requestJson(options, route.method, route.path);
  return parseAnswer(TenantPoolStatusSchema, body, route.path);
}

/** What a request sends besides the method and path. */
export interface RequestBody {
  query?: Record<string, string | undefined>;
  /** Sent as JSON. */
  json?: unknown;
  /** Raw bytes, streamed (Content-Length is required: the API refuses chunked uploads). */
  bytes?: { stream: ReadableStream<Uint8Array>; length: number };
}

/**
 * One call to the API with the operator secret: the parsed JSON of a successful answer, or a
 * NexusApiError carrying the error envelope's code, message and request id.
 */
export async function requestJson(
  options: NexusApiOptions,
  method: string,
  path: string,
  request: RequestBody = {},
): Promise<unknown> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) query.set(name, value);
  }
  const search = query.size > 0 ? `?${query}` : "";
  const url = `${options.baseUrl.replace(/\/+$/, "")}${path}${search}`;
  const headers: Record<string, string> = {
    Authorization: `Bearer ${options.adminSecret}`,
    Accept: "application/json",
  };
  const init: RequestInit & { duplex?: "half" } = { method: method.toUpperCase(), headers };
  if (request.json !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(request.json);
  } else if (request.bytes) {
    headers["Content-Type"] = "application/octet-stream";
    headers["Content-Length"] = String(request.bytes.length);
    init.body = request.bytes.stream;
    // fetch refuses a stream body without it (the request is sent before the answer is read).
    init.duplex = "half";
  }
  let response: Response;
  try {
    response = await options.fetch(url, init);
  } catch (error) {
    throw new CliError(
      `could not reach the API at ${url}: ${describeError(error)} (is it running? see --url)`,
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CliError(
      `${method.toUpperCase()} ${url} answered HTTP ${response.status} without JSON: ${text.slice(0, 200)}`,
    );
  }
  if (!response.ok) {
    const envelope = errorEnvelope(body);
    if (envelope)
      throw new NexusApiError(response.status, envelope.code, envelope.message, envelope.request_id);
    throw new CliError(
      `${method.toUpperCase()} ${url} answered HTTP ${response.status}: ${text.slice(0, 200)}`,
    );
  }
  return body;
}

/** A contract schema, as far as the CLI needs it (zod is the contracts package's dependency). */
export interface AnswerSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { message: string; path: readonly PropertyKey[] }[] } };
}

/** A successful answer checked against its contract schema. */
export function parseAnswer<T>(schema: AnswerSchema<T>, body: unknown, path: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ` : "";
    throw new CliError(`unexpected answer from ${path}: ${where}${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** A contract path with its `{name}` parameters filled in (URL-encoded). */
export function routePath(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return encodeURIComponent(String(value));
  });
}

/** The error envelope; loosely, if the code is one this contract version does not know yet. */
function errorEnvelope(body: unknown): { code: string; message: string; request_id: string } | undefined {
  const strict = ErrorEnvelopeSchema.safeParse(body);
  if (strict.success) return strict.data.error;
  const error = isRecord(body) && body.success === false && isRecord(body.error) ? body.error : undefined;
  if (error && typeof error.code === "string" && typeof error.message === "string") {
    return { code: error.code, message: error.message, request_id: String(error.request_id ?? "unknown") };
  }
  return undefined;
}
