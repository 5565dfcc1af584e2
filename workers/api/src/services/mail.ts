// Outgoing mail behind one interface. MAIL_MODE=outbox keeps every message in the central
// database's mail_outbox, which operators read with GET /api/admin/mail-outbox: no mail leaves the
// machine in development and tests. MAIL_MODE=resend sends through Resend's HTTP API.

import type { AuthMail } from "@nexus/db/auth-options";
import { mailOutbox } from "@nexus/db/central";
import { desc, eq } from "drizzle-orm";
import { type CentralDb, dashboardOrigin, getConfig } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /**
   * The dashboard's origin (env.ts dashboardOrigin), for links in mail. The deployment's mailer
   * carries it so every sender of a mail (better-auth, the admin routes, registration) links alike;
   * without it, mail explains the steps in words.
   */
  readonly dashboardOrigin?: string | undefined;
}

export const RESEND_API_URL = "https://api.resend.com/emails";

/**
 * Resend's `POST /emails` (JSON `{from, to, subject, text}`, bearer API key). A refused message is
 * an error naming Resend's status and error name, never the key.
 */
export function resendMailer(apiKey: string, from: string, send: typeof fetch = fetch): Mailer {
  return {
    send: async (message) => {
      const response = await send(RESEND_API_URL, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ from, to: [message.to], subject: message.subject, text: message.text }),
      });
      if (!response.ok) {
        const error = (await response.json().catch(() => ({}))) as { name?: string; message?: string };
        throw new Error(
          `Resend refused the mail: HTTP ${response.status} ${error.name ?? ""} ${error.message ?? ""}`.trim(),
        );
      }
    },
  };
}

/** The configured mailer. */
export function mailerFor(env: Env, db: CentralDb): Mailer {
  const config = getConfig(env);
  const links = { dashboardOrigin: dashboardOrigin(config) };
  if (config.MAIL_MODE === "outbox") return { ...outboxMailer(db), ...links };
  if (!config.RESEND_API_KEY) {
    throw new ApiError("CONFIGURATION_ERROR", "MAIL_MODE=resend needs the RESEND_API_KEY secret.");
  }
  return { ...resendMailer(config.RESEND_API_KEY, config.MAIL_FROM), ...links };
}

export function outboxMailer(db: CentralDb): Mailer {
  return {
    send: async (message) => {
      await db.insert(mailOutbox).values({ id: newId(), ...message, to: message.to.toLowerCase() });
    },
  };
}

/** The newest mail in the outbox, optionally only to one address (stored in lower case). */
export async function outboxMail(db: CentralDb, query: { to?: string | undefined; limit: number }) {
  const rows = await db
    .select()
    .from(mailOutbox)
    .where(query.to ? eq(mailOutbox.to, query.to.toLowerCase()) : undefined)
    .orderBy(desc(mailOutbox.id))
    .limit(query.limit);
  return rows.map((row) => ({
    id: row.id,
    to: row.to,
    subject: row.subject,
    text: row.text,
    created_at: row.createdAt.toISOString(),
  }));
}

/** The texts of the mails better-auth asks for. */
export function authMail(mailer: Mailer): AuthMail {
  return {
    verifyEmail: (to, url) =>
      mailer.send({
        to,
        subject: "Confirm your email address for Nexus Central",
        text: `Open this link to confirm your email address:\n\n${url}\n\nIf you did not sign up, ignore this message.`,
      }),
    resetPassword: (to, url) =>
      mailer.send({
        to,
        subject: "Reset your Nexus Central password",
        text: `Open this link to choose a new password (valid for one hour):\n\n${url}\n\nIf you did not ask for it, ignore this message; your password stays as it is.`,
      }),
    invitation: (to, details) =>
      mailer.send({
        to,
        subject: `You are invited to ${details.companyName} on Nexus Central`,
        text: invitationText(details, mailer.dashboardOrigin),
      }),
  };
}

/** The dashboard page where the invitee accepts or declines: /invitations/{id}. */
export const invitationUrl = (dashboardOrigin: string, invitationId: string): string =>
  `${dashboardOrigin}/invitations/${encodeURIComponent(invitationId)}`;

// "Invitation id: …" stays in both forms: API clients and scripts/seed-demo.ts read it from the mail.
function invitationText(
  details: Parameters<AuthMail["invitation"]>[1],
  dashboardOrigin: string | undefined,
): string {
  const intro = `${details.inviter} invited you to join ${details.companyName} as ${details.role}.`;
  if (!dashboardOrigin) {
    return `${intro}\n\nInvitation id: ${details.invitationId}\nSign up or sign in with this email address, then accept the invitation.`;
  }
  return `${intro}\n\nOpen this link to accept or decline it:\n\n${invitationUrl(dashboardOrigin, details.invitationId)}\n\nSign in, or create an account, with this email address.\n\nInvitation id: ${details.invitationId}`;
}
