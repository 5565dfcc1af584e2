import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../env.ts";
import { ApiError } from "./errors.ts";
import { readBounded } from "./read-bounded.ts";
import { unknownKeys } from "./unknown-keys.ts";
import { validationError } from "./validation.ts";

export const DEFAULT_BODY_LIMIT = 64 * 1024;

// The shipped desktop app posts `JSON.stringify(...)` without a Content-Type (so fetch sends
// text/plain). Hono's json validator skips bodies that are not application/json, so bodies are read
// here: JSON is accepted under a JSON or text/plain type or none, anything else is refused.
const acceptedType = /^(application\/([a-z0-9.+-]+\+)?json|text\/plain)\s*(;|$)/i;

export async function readLimited(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return "";
  // A declared length within the limit is enforced by the runtime (the body cannot exceed it), so
  // the body can be read whole; without one, it is counted while streaming.
  if (request.headers.has("content-length") && Number.isFinite(declared)) {
    const text = await request.text();
    // Belt and braces for a request built in-process with a wrong header.
    if (text.length > limit) throw tooLarge(limit);
    return text;
  }
  return new TextDecoder().decode(await readBounded(request.body, limit, () => tooLarge(limit)));
}

function tooLarge(limit: number): ApiError {
  return new ApiError("PAYLOAD_TOO_LARGE", `The request body is larger than ${limit} bytes.`, {
    limit_bytes: limit,
  });
}

/**
 * Reads, parses and validates a JSON body against `schema`; the result is `c.req.valid("json")`.
 * An empty body counts as `{}`, so a missing body reports the missing fields by name. Admin routes
 * also refuse fields their schema does not name (see unknown-keys.ts).
 */
export function jsonBody<S extends z.ZodType>(
  schema: S,
  limit = DEFAULT_BODY_LIMIT,
): MiddlewareHandler<AppEnv, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }> {
  return async (c, next) => {
    const type = c.req.header("content-type");
    if (type && !acceptedType.test(type)) {
      throw new ApiError(
        "UNSUPPORTED_MEDIA_TYPE",
        `The body must be JSON sent as Content-Type: application/json, not ${type.split(";")[0]}.`,
      );
    }
    const text = await readLimited(c.req.raw, limit);
    let parsed: unknown = {};
    if (text.trim() !== "") {
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        const reason = error instanceof SyntaxError ? error.message : "not JSON";
        throw new ApiError("MALFORMED_JSON", `The request body is not valid JSON (${reason}).`);
      }
    }
    const result = schema.safeParse(parsed);
    if (!result.success) throw validationError(result.error, "request body");
    if (new URL(c.req.url).pathname.startsWith("/api/admin/")) {
      const unknown = unknownKeys(schema, parsed);
      if (unknown.length > 0) throw unknownFieldsError(unknown);
    }
    c.req.addValidatedData("json", result.data as object);
    await next();
  };
}

function unknownFieldsError(paths: string[]): ApiError {
  const named = paths.slice(0, 10).map((path) => `"${path}"`);
  const more = paths.length > named.length ? ` and ${paths.length - named.length} more` : "";
  return new ApiError(
    "VALIDATION_FAILED",
    `Invalid request body: unknown field${paths.length > 1 ? "s" : ""} ${named.join(", ")}${more}. ` +
      "Remove them; the route's schema in /openapi.json lists the fields it takes.",
    { issues: paths.map((path) => ({ path, message: "Unknown field" })) },
  );
}
