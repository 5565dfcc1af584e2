// Reading the API's answers, shared by every call: a 2xx body is checked against the route's
// response schema; anything else becomes the error it stands for, NexusApiError for the API's error
// envelope or NexusResponseError for an answer outside the contract (e.g. a proxy's HTML page).
import { NexusApiError, NexusResponseError } from "./errors.ts";
import { type HttpResponse, retryAfterMs } from "./http.ts";
import { ErrorEnvelopeCheck } from "./wire.ts";

/** What the client needs of a zod schema; keeps zod itself out of this package's dependencies. */
export interface ResponseSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: unknown };
}

/** The typed answer of a 2xx, or throws the error the API or whatever answered instead stands for. */
export function readResponse<T>(response: HttpResponse, schema: ResponseSchema<T>): T {
  const { status, body } = response;
  const requestId = response.headers.get("x-request-id") ?? undefined;
  const fail = (message: string, cause: unknown) =>
    new NexusResponseError(`The API answered HTTP ${status} ${message}.`, { status, requestId, body, cause });
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw fail("with a body that is not JSON", cause);
  }
  if (status >= 200 && status < 300) {
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    throw fail("with a body outside its contract", parsed.error);
  }
  const envelope = ErrorEnvelopeCheck.safeParse(json);
  if (!envelope.success) throw fail("without an error envelope", envelope.error);
  const { error } = envelope.data;
  throw new NexusApiError({
    status,
    code: error.code,
    message: error.message,
    details: error.details,
    requestId: error.request_id,
    retryAfterMs: retryAfterMs(response.headers),
  });
}
