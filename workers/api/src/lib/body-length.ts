// Raw (non-JSON) uploads must declare their length: the runtime then enforces it, R2 can take the
// stream as is, and a body over the limit is refused before a byte is read.
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { ApiError } from "./errors.ts";

/** The request's declared body length, checked against what the part or file may be. */
export function bodyLength(
  c: Context<AppEnv>,
  expected: { exact?: number; max: number; tooLarge?: string },
): number {
  const header = c.req.header("content-length");
  if (!header || !/^\d+$/.test(header) || !c.req.raw.body) {
    throw new ApiError("LENGTH_REQUIRED", "Send the bytes with a Content-Length header.");
  }
  const length = Number(header);
  if (length > expected.max) {
    throw new ApiError(
      "PAYLOAD_TOO_LARGE",
      expected.tooLarge ??
        `At most ${expected.max} bytes per request; upload larger files in parts (POST …/multipart).`,
      { max_bytes: expected.max },
    );
  }
  if (expected.exact !== undefined && length !== expected.exact) {
    throw new ApiError(
      "VALIDATION_FAILED",
      `This upload was declared with ${expected.exact} bytes but ${length} were sent.`,
      { declared_size: expected.exact, sent: length },
    );
  }
  return length;
}
