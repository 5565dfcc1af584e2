// Cloudflare Email Service through the `send_email` binding (wrangler.toml [[send_email]] EMAIL), with
// the binding's message-builder API. Locally, Miniflare simulates the binding: it validates the
// message, answers a Message-ID and logs the mail (nothing leaves the machine). The binding's
// failures are exceptions; a refused sender or recipient is permanent.
import { emailParts } from "./email.ts";
import { errorText, type NotificationProvider } from "./types.ts";

export interface CloudflareEmailOptions {
  binding: SendEmail;
  from: string;
}

/** The binding when the deployment declares it ([[send_email]] name = "EMAIL"). */
export function emailBinding(env: Env): SendEmail | null {
  const binding: unknown = Reflect.get(env, "EMAIL");
  return binding && typeof binding === "object" && "send" in binding ? (binding as SendEmail) : null;
}

/** `Name <address>` or a bare address, as the binding wants it. */
export function parseSender(from: string): string | EmailAddress {
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from);
  if (!match?.[2]) return from.trim();
  return match[1] ? { name: match[1].replace(/^"|"$/g, ""), email: match[2] } : match[2];
}

export function cloudflareEmailProvider(options: CloudflareEmailOptions): NotificationProvider {
  return {
    name: "cloudflare",
    async send(message) {
      if (!message.address) return { outcome: "skipped", reason: "no email address" };
      const parts = emailParts(message.body, message.unsubscribeUrl);
      try {
        const result = await options.binding.send({
          from: parseSender(options.from),
          to: message.address,
          subject: message.subject ?? "",
          html: parts.html,
          text: parts.text,
          headers: parts.headers,
        });
        return { outcome: "sent", providerMessageId: result.messageId || null, httpStatus: null };
      } catch (error) {
        const text = errorText(error);
        return {
          outcome: "failed",
          error: `Email Service: ${text}`,
          httpStatus: null,
          permanent: / not allowed$/.test(text),
        };
      }
    },
  };
}
