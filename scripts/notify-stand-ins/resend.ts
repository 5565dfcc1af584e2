// Resend's `POST /emails` as the API sees it: bearer key, JSON body, `{ id }` answer, error bodies
// `{ statusCode, name, message }`, Idempotency-Key honoured (the same key answers the same id), and
// the delivery webhooks Resend would send (email.sent, then email.delivered or email.bounced).
import { randomUUID } from "node:crypto";
import { emailBehaviour, failsNow } from "./switches.ts";
import { keepResendWebhook } from "./webhooks.ts";

export interface SentEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
  created_at: string;
}

const emails: SentEmail[] = [];
const byIdempotencyKey = new Map<string, string>();

export const sentEmails = (to?: string | null) =>
  emails.filter((email) => !to || email.to.some((address) => address.toLowerCase() === to.toLowerCase()));

const error = (statusCode: number, name: string, message: string) =>
  Response.json({ statusCode, name, message }, { status: statusCode });

export async function handleResend(request: Request, path: string, webhookSecret: string): Promise<Response> {
  if (request.method !== "POST" || path !== "/emails")
    return error(404, "not_found", `No Resend stand-in at ${path}.`);
  if (!/^Bearer re_\S+$/.test(request.headers.get("authorization") ?? "")) {
    return error(401, "missing_api_key", "Missing or malformed API key in the Authorization header.");
  }
  const body = (await request.json().catch(() => null)) as Partial<SentEmail> | null;
  const to = Array.isArray(body?.to) ? body.to : typeof body?.to === "string" ? [body.to] : [];
  if (!body || typeof body.from !== "string" || to.length === 0 || typeof body.subject !== "string") {
    return error(422, "validation_error", "`from`, `to` and `subject` are required.");
  }
  if (!body.html && !body.text) return error(422, "validation_error", "Either `html` or `text` is required.");
  const key = request.headers.get("idempotency-key");
  const known = key ? byIdempotencyKey.get(key) : undefined;
  if (known) return Response.json({ id: known });
  const address = to[0] ?? "";
  const behaviour = emailBehaviour(address);
  if (behaviour === "reject") return error(422, "validation_error", `Invalid \`to\` field: ${address}.`);
  if (failsNow(behaviour, key ?? `${address}\n${body.subject}`)) {
    return error(500, "internal_server_error", "An unexpected error occurred (stand-in fail switch).");
  }
  const id = randomUUID();
  if (key) byIdempotencyKey.set(key, id);
  const created = new Date().toISOString();
  emails.push({
    id,
    from: body.from,
    to,
    subject: body.subject,
    html: body.html ?? null,
    text: body.text ?? null,
    headers: body.headers ?? {},
    created_at: created,
  });
  const data = { email_id: id, from: body.from, to, subject: body.subject, created_at: created };
  keepResendWebhook(webhookSecret, id, { type: "email.sent", created_at: created, data });
  keepResendWebhook(
    webhookSecret,
    id,
    behaviour === "bounce"
      ? {
          type: "email.bounced",
          created_at: new Date().toISOString(),
          data: {
            ...data,
            bounce: { type: "Permanent", subType: "General", message: "The mailbox does not exist." },
          },
        }
      : { type: "email.delivered", created_at: new Date().toISOString(), data },
  );
  return Response.json({ id });
}
