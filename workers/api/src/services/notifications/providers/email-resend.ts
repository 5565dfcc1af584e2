// Resend's `POST /emails`: JSON with from/to/subject/html/text and custom headers, bearer key. The
// notification message id is Resend's Idempotency-Key, so a retry after a lost response is not a
// second mail. Resend answers `{ id }`, the id its delivery webhooks (email.delivered, …) carry.
import { emailParts } from "./email.ts";
import { acceptedAs, callJsonApi, httpFailure, type NotificationProvider } from "./types.ts";

export interface ResendOptions {
  apiKey: string;
  baseUrl: string;
  from: string;
  fetch?: typeof fetch;
}

export function resendProvider(options: ResendOptions): NotificationProvider {
  const send = options.fetch ?? fetch;
  return {
    name: "resend",
    async send(message) {
      if (!message.address) return { outcome: "skipped", reason: "no email address" };
      const parts = emailParts(message.body, message.unsubscribeUrl);
      return callJsonApi(
        send,
        `${options.baseUrl.replace(/\/$/, "")}/emails`,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            "content-type": "application/json",
            "idempotency-key": message.id,
          },
          body: JSON.stringify({
            from: options.from,
            to: [message.address],
            subject: message.subject ?? "",
            html: parts.html,
            text: parts.text,
            headers: parts.headers,
            tags: [{ name: "category", value: message.category.replace(/[^A-Za-z0-9_-]/g, "_") }],
          }),
        },
        (answer, response) => {
          if (response.ok) return acceptedAs(answer.id, response);
          const detail = [answer.name, answer.message].filter((part) => typeof part === "string").join(": ");
          return httpFailure(
            response.status,
            `Resend answered HTTP ${response.status}${detail ? ` (${detail})` : ""}`,
          );
        },
      );
    },
  };
}
