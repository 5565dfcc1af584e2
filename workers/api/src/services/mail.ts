// Outgoing mail behind one interface. MAIL_MODE=outbox (the only mode so far) keeps every message
// in the central database's mail_outbox, which operators read with GET /api/admin/mail-outbox: no
// mail leaves the machine in development and tests.
import { mailOutbox } from "@nexus/db/central";
import type { AuthMail } from "../auth/options.ts";
import type { CentralDb } from "../env.ts";
import { newId } from "../lib/ids.ts";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export function outboxMailer(db: CentralDb): Mailer {
  return {
    send: async (message) => {
      await db.insert(mailOutbox).values({ id: newId(), ...message, to: message.to.toLowerCase() });
    },
  };
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
        text: `${details.inviter} invited you to join ${details.companyName} as ${details.role}.\n\nInvitation id: ${details.invitationId}\nSign up or sign in with this email address, then accept the invitation.`,
      }),
  };
}
