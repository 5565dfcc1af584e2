// One interface per delivery: a provider takes a stored, rendered message and says what happened.
// The consumer (../deliver.ts) records every call as an attempt and walks the channel's provider chain.

export type NotificationChannel = "email" | "sms" | "push" | "in_app";

/** A claimed notification_messages row, as the providers need it. */
export interface OutgoingMessage {
  id: string;
  companyId: string;
  channel: NotificationChannel;
  workflowKey: string;
  category: string;
  critical: boolean;
  recipientKey: string;
  /** Email address or E.164 number; null for push and in-app (the recipient key says who). */
  address: string | null;
  locale: string;
  subject: string | null;
  /** Email: HTML (escaped by the renderer); other channels: plain text. */
  body: string;
  payload: Record<string, unknown>;
  createdAt: number;
  /** One-click unsubscribe link for this category and channel (email); null for critical workflows. */
  unsubscribeUrl: string | null;
  /** This delivery's attempt number (1 on the first try). */
  attempt: number;
}

export type ProviderOutcome =
  /** Accepted by the provider (in-app: stored and pushed, so already delivered). */
  | { outcome: "sent"; providerMessageId: string | null; httpStatus: number | null; delivered?: boolean }
  /**
   * Not accepted. `permanent`: the provider refused this message for good (an invalid address, a
   * request it will never take), so retrying it would only repeat the refusal.
   */
  | { outcome: "failed"; error: string; httpStatus: number | null; permanent: boolean }
  /** Nothing to send to (a user without push subscriptions): `not_sent`, no retry. */
  | { outcome: "skipped"; reason: string };

export interface NotificationProvider {
  /** Stable name, recorded in attempts and provider refs: cloudflare, resend, twilio, webpush, in_app. */
  readonly name: string;
  send(message: OutgoingMessage): Promise<ProviderOutcome>;
}

/** A provider call that threw (network error, timeout) is a failure worth retrying. */
export function thrownFailure(error: unknown): ProviderOutcome {
  return { outcome: "failed", error: errorText(error), httpStatus: null, permanent: false };
}

export const errorText = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * What an HTTP provider's refusal means: a malformed or refused message (400, 404, 409, 410, 413,
 * 422) is refused again on every retry; anything else (408, 429, 5xx, a bad key) may pass later.
 */
export function httpFailure(status: number, detail: string): ProviderOutcome {
  return {
    outcome: "failed",
    error: detail.slice(0, 500),
    httpStatus: status,
    permanent: PERMANENT.has(status),
  };
}

// 401/403 are not among them: a wrong or revoked key is fixed by an operator, and the message then goes.
const PERMANENT = new Set([400, 404, 409, 410, 413, 422]);

/**
 * One call to a provider's JSON API: `read` turns the answer into an outcome; a request that never got
 * an answer (network error, timeout) is a failure worth retrying.
 */
export async function callJsonApi(
  send: typeof fetch,
  url: string,
  init: RequestInit,
  read: (answer: Record<string, unknown>, response: Response) => ProviderOutcome,
): Promise<ProviderOutcome> {
  let response: Response;
  try {
    response = await send(url, init);
  } catch (error) {
    return thrownFailure(error);
  }
  const answer: unknown = await response.json().catch(() => ({}));
  return read(answer && typeof answer === "object" ? (answer as Record<string, unknown>) : {}, response);
}

/** Accepted, under the id the provider's webhooks will name. */
export const acceptedAs = (id: unknown, response: Response): ProviderOutcome => ({
  outcome: "sent",
  providerMessageId: typeof id === "string" ? id : null,
  httpStatus: response.status,
});
