// Twilio's Messages API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, basic
// auth (account SID : auth token). Answers the message resource (201, status queued) or Twilio's error
// body `{ code, message, more_info, status }`, and keeps the status callbacks Twilio would post to
// StatusCallback (sent, then delivered or undelivered), signed with the auth token the caller used.
import { randomBytes } from "node:crypto";
import { failsNow, phoneBehaviour } from "./switches.ts";
import { keepTwilioWebhook } from "./webhooks.ts";

export interface SentSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  status_callback: string | null;
  created_at: string;
}

const messages: SentSms[] = [];
export const sentSms = (to?: string | null) => messages.filter((message) => !to || message.to === to);

const error = (status: number, code: number, message: string) =>
  Response.json(
    { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    { status },
  );

const PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/i;

export async function handleTwilio(request: Request, path: string): Promise<Response> {
  const match = PATH.exec(path);
  if (request.method !== "POST" || !match)
    return error(404, 20404, `The requested resource ${path} was not found`);
  const [user, token] = Buffer.from(
    (request.headers.get("authorization") ?? "").replace(/^Basic /, ""),
    "base64",
  )
    .toString()
    .split(":");
  if (user !== match[1] || !token) return error(401, 20003, "Authenticate");
  const form = new URLSearchParams(await request.text());
  const to = form.get("To") ?? "";
  const from = form.get("From") ?? "";
  const body = form.get("Body") ?? "";
  if (!to) return error(400, 21604, "A 'To' phone number is required.");
  if (!from) return error(400, 21603, "A 'From' phone number is required.");
  if (!body) return error(400, 21602, "Message body is required.");
  const behaviour = phoneBehaviour(to);
  if (behaviour === "reject") return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
  if (failsNow(behaviour, `${to}\n${body}`))
    return error(503, 20500, "Internal Server Error (stand-in fail switch)");
  const sid = `SM${randomBytes(16).toString("hex")}`;
  const callback = form.get("StatusCallback");
  const created = new Date();
  messages.push({ sid, to, from, body, status_callback: callback, created_at: created.toISOString() });
  if (callback) {
    const base = {
      AccountSid: match[1] ?? "",
      ApiVersion: "2010-04-01",
      From: from,
      MessageSid: sid,
      SmsSid: sid,
      To: to,
    };
    keepTwilioWebhook(token, callback, { ...base, MessageStatus: "sent", SmsStatus: "sent" });
    keepTwilioWebhook(
      token,
      callback,
      behaviour === "bounce"
        ? { ...base, MessageStatus: "undelivered", SmsStatus: "undelivered", ErrorCode: "30003" }
        : { ...base, MessageStatus: "delivered", SmsStatus: "delivered" },
    );
  }
  return Response.json(
    {
      sid,
      account_sid: match[1],
      to,
      from,
      body,
      status: "queued",
      num_segments: String(Math.max(1, Math.ceil(body.length / 153))),
      direction: "outbound-api",
      api_version: "2010-04-01",
      date_created: created.toUTCString(),
      error_code: null,
      error_message: null,
      uri: `/2010-04-01/Accounts/${match[1]}/Messages/${sid}.json`,
    },
    { status: 201 },
  );
}
