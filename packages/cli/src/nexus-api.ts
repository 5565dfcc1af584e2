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
  const parsed = TenantPoolStatusSchema.safeParse(body);
  if (!parsed.success) {
    throw new CliError(
      `unexpected answer from ${route.path}: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

async function requestJson(options: NexusApiOptions, method: string, path: string): Promise<unknown> {
  const url = `${options.baseUrl.replace(/\/+$/, "")}${path}`;
  let response: Response;
  try {
    response = await options.fetch(url, {
      method: method.toUpperCase(),
      headers: { Authorization: `Bearer ${options.adminSecret}`, Accept: "application/json" },
    });
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
