// Calls the API's company and operator routes by their catalogue entry in @nexus/contracts: the
// path, method and response schema come from there, so the dashboard cannot drift from the API.
// Answers are checked against the route's schema; errors become the client package's error types.

// By subpath, not through @nexus/client's root: that also exports the client's uploads and HTTP
// transport, which are typed for workerd and Node and do not check against the DOM's byte types.
import { NexusApiError, NexusResponseError } from "@nexus/client/errors";
import { ErrorEnvelopeSchema, type RouteContract } from "@nexus/contracts";
import type { z } from "zod";

type ParamsOf<R extends RouteContract> = R["params"] extends z.ZodObject ? z.input<R["params"]> : never;
type QueryOf<R extends RouteContract> = R["query"] extends z.ZodObject ? Partial<z.input<R["query"]>> : never;
type BodyOf<R extends RouteContract> = R["body"] extends z.ZodType ? z.input<R["body"]> : never;

export type ResponseOf<R extends RouteContract> = z.output<R["response"]>;

export interface CallInput<R extends RouteContract> {
  params?: ParamsOf<R>;
  query?: QueryOf<R>;
  /** Sent as JSON; checked against the route's body schema first, so a bad form never leaves the page. */
  body?: BodyOf<R>;
  signal?: AbortSignal;
}

/** Fired when the API says the session is gone, so the app can send the user to sign in. */
export const UNAUTHORIZED_EVENT = "nexus:unauthorized";

export function routeUrl(path: string, params: Record<string, string> = {}, query: object = {}): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`${path} needs the parameter ${name}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}

export async function callApi<R extends RouteContract>(
  route: R,
  input: CallInput<R> = {},
): Promise<ResponseOf<R>> {
  const url = routeUrl(route.path, input.params as Record<string, string> | undefined, input.query);
  const headers: Record<string, string> = { accept: "application/json" };
  let body: string | undefined;
  if (input.body !== undefined) {
    const checked = route.body?.safeParse(input.body);
    if (checked && !checked.success) throw new InvalidInputError(checked.error);
    headers["content-type"] = "application/json";
    body = JSON.stringify(input.body);
  }
  const response = await fetch(url, {
    method: route.method.toUpperCase(),
    headers,
    credentials: "same-origin",
    signal: input.signal ?? null,
    body: body ?? null,
  });
  const text = await response.text();
  const requestId = response.headers.get("x-request-id") ?? undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new NexusResponseError(`The API answered HTTP ${response.status} with something other than JSON.`, {
      status: response.status,
      requestId,
      body: text,
      cause,
    });
  }
  if (response.ok) {
    const parsed = route.response.safeParse(json);
    if (parsed.success) return parsed.data as ResponseOf<R>;
    throw new NexusResponseError(`The API's answer to ${route.path} is outside its contract.`, {
      status: response.status,
      requestId,
      body: text,
      cause: parsed.error,
    });
  }
  const envelope = ErrorEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw new NexusResponseError(`The API answered HTTP ${response.status} without an error envelope.`, {
      status: response.status,
      requestId,
      body: text,
    });
  }
  if (response.status === 401) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  const { error } = envelope.data;
  throw new NexusApiError({
    status: response.status,
    code: error.code,
    message: error.message,
    details: error.details,
    requestId: error.request_id,
    retryAfterMs: undefined,
  });
}

/** A form's input that the route's schema refuses, caught before it is sent. */
export class InvalidInputError extends Error {
  readonly issues: readonly { path: readonly PropertyKey[]; message: string }[];
  constructor(error: z.ZodError) {
    super(
      error.issues
        .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
        .join("; "),
    );
    this.name = "InvalidInputError";
    this.issues = error.issues;
  }
}

/** What to tell a person about a failed call: plain words first, the API's message as detail. */
export function describeError(error: unknown): { title: string; detail: string; requestId?: string } {
  if (error instanceof NexusApiError) {
    const requestId = error.requestId;
    switch (error.code) {
      case "COMPANY_NOT_FOUND":
        return {
          title: "Company not found",
          detail: "This company does not exist, or you are not a member of it.",
          requestId,
        };
      case "VALIDATION_FAILED":
        return { title: "Check the form", detail: error.message, requestId };
      case "FORBIDDEN":
        return { title: "Not allowed", detail: error.message, requestId };
      case "COMPANY_SUSPENDED":
        return { title: "Company suspended", detail: error.message, requestId };
      case "UNAUTHORIZED":
        return { title: "Signed out", detail: "Your session ended. Sign in again.", requestId };
      default:
        return { title: "Something went wrong", detail: error.message, requestId };
    }
  }
  if (error instanceof InvalidInputError) return { title: "Check the form", detail: error.message };
  if (error instanceof NexusResponseError) {
    return { title: "Unexpected answer", detail: error.message, requestId: error.requestId };
  }
  // fetch rejects with a TypeError when the network fails.
  if (error instanceof TypeError || !(error instanceof Error)) {
    return { title: "Could not reach Nexus Central", detail: "Check your connection and try again." };
  }
  return { title: "Something went wrong", detail: error.message };
}
