import { type ErrorCode, type ErrorEnvelope, errorStatus } from "@nexus/contracts";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error type handlers throw; `onError` turns it into the envelope. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = errorStatus[code];
    this.details = details;
    this.headers = headers;
  }
}

export function errorResponse(c: Context, error: ApiError): Response {
  const requestId = c.get("requestId") ?? "unknown";
  const body: ErrorEnvelope = {
    success: false,
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      request_id: requestId,
    },
  };
  for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
  c.header("X-Request-Id", requestId);
  return c.json(body, error.status);
}

/** Apps should validate again (get a new token) when they receive one of these. */
export const revalidate = { action: "revalidate" } as const;
