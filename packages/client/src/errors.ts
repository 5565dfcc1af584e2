import type { ErrorCode } from "@nexus/contracts";

/**
 * What the API suggests after an error (`details.action`): the contract's ErrorActionSchema, listed
 * here so the SDK does not bring zod into an app (wire.test.ts keeps the two equal).
 */
export const ERROR_ACTIONS = ["revalidate", "retry", "contact_admin"] as const;
export type ErrorAction = (typeof ERROR_ACTIONS)[number];

/**
 * Codes after which the installation token is of no further use. The API also says so with
 * `details.action = "revalidate"`; the list covers answers that lack the hint.
 */
const REVALIDATE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "INVALID_TOKEN",
  "TOKEN_EXPIRED",
  "INSTALLATION_NOT_FOUND",
  "INSTALLATION_DEACTIVATED",
]);

/** Every error this client throws, so callers can tell them from their own bugs with one check. */
export class NexusError extends Error {
  override name = "NexusError";
}

export interface NexusApiErrorInit {
  status: number;
  code: ErrorCode;
  message: string;
  details: Record<string, unknown> | undefined;
  requestId: string;
  retryAfterMs: number | undefined;
}

/** The API refused the request and said why (the error envelope). */
export class NexusApiError extends NexusError {
  override name = "NexusApiError";
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** Quote it to support: it finds the request in the API's logs. */
  readonly requestId: string;
  /**
   * From `Retry-After`, set when the API asked for a longer pause than the client waits on its
   * own (e.g. 5 minutes for TENANT_POOL_EXHAUSTED), so the app can schedule the retry itself.
   */
  readonly retryAfterMs: number | undefined;

  constructor(init: NexusApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** What the API suggests the app does next, when it says. */
  get action(): ErrorAction | undefined {
    const action = this.details?.action;
    return ERROR_ACTIONS.find((known) => known === action);
  }

  /** True when the app should call `validate` again to get a new installation token. */
  get shouldRevalidate(): boolean {
    return this.action === "revalidate" || REVALIDATE_CODES.has(this.code);
  }
}

/** The API could not be reached (or did not answer in time) on any attempt. */
export class NexusNetworkError extends NexusError {
  override name = "NexusNetworkError";
  readonly attempts: number;
  /** Whether the last attempt ran out of time rather than failing outright. */
  readonly timedOut: boolean;

  constructor(message: string, init: { attempts: number; timedOut: boolean; cause: unknown }) {
    super(message, { cause: init.cause });
    this.attempts = init.attempts;
    this.timedOut = init.timedOut;
  }
}

/**
 * Something answered, but not in the API's contract: not JSON, a 2xx body that fails the response
 * schema, or an error without the envelope (typically a proxy's HTML page).
 */
export class NexusResponseError extends NexusError {
  override name = "NexusResponseError";
  readonly status: number;
  readonly requestId: string | undefined;
  /** The start of the body, enough to recognise a proxy's error page without flooding logs. */
  readonly body: string;

  constructor(
    message: string,
    init: { status: number; requestId: string | undefined; body: string; cause?: unknown },
  ) {
    super(message, { cause: init.cause });
    this.status = init.status;
    this.requestId = init.requestId;
    this.body = init.body.slice(0, 1000);
  }
}
