// Twilio's Messages API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded To, From,
// Body and StatusCallback, HTTP basic auth with the account SID and auth token. Twilio answers the
// message resource (`sid`, `status: "queued"`) and later posts signed status callbacks
// (sent → delivered | undelivered | failed) to StatusCallback.
import { acceptedAs, callJsonApi, httpFailure, type NotificationProvider } from "./types.ts";

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  from: string;
  baseUrl: string;
  /** Where Twilio posts delivery status: the API's /api/notifications/providers/twilio/events. */
  statusCallback: string;
  fetch?: typeof fetch;
}

/** Twilio's limit is 1,600 characters; a longer text is cut rather than refused. */
const MAX_SMS_LENGTH = 1600;

export function twilioProvider(options: TwilioOptions): NotificationProvider {
  const send = options.fetch ?? fetch;
  return {
    name: "twilio",
    async send(message) {
      if (!message.address) return { outcome: "skipped", reason: "no phone number" };
      const form = new URLSearchParams({
        To: message.address,
        From: options.from,
        Body: [...message.body].slice(0, MAX_SMS_LENGTH).join(""),
        StatusCallback: options.statusCallback,
      });
      const url = `${options.baseUrl.replace(/\/$/, "")}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
      const auth = btoa(`${options.accountSid}:${options.authToken}`);
      return callJsonApi(
        send,
        url,
        {
          method: "POST",
          headers: { authorization: `Basic ${auth}`, "content-type": "application/x-www-form-urlencoded" },
          body: form.toString(),
        },
        (answer, response) => {
          if (response.ok) return acceptedAs(answer.sid, response);
          const code = typeof answer.code === "number" ? ` ${answer.code}` : "";
          const detail = typeof answer.message === "string" ? `: ${answer.message}` : "";
          return httpFailure(response.status, `Twilio answered HTTP ${response.status}${code}${detail}`);
        },
      );
    },
  };
}
