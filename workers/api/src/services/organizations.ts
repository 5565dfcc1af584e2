// Each company is a better-auth organization with the same id, so a dashboard user's membership
// is a row in `member` for the company id. Registration creates the organization and invites the
// company's admin_email as its owner (from the platform's own user, which cannot sign in).
import { invitation, organization } from "@nexus/db/auth";
import type { CentralDb } from "../env.ts";
import { newId } from "../lib/ids.ts";
import { authMail, mailerFor } from "./mail.ts";

export const SYSTEM_USER_ID = "nexus-system";
export const INVITATION_DAYS = 7;

export interface CompanyOrganization {
  companyId: string;
  companyCode: string;
  companyName: string;
  ownerEmail: string;
  now: Date;
}

/** An invitation row to `email` with `role`, from `inviterId` (the platform's user for operators). */
export function invitationValues(
  companyId: string,
  email: string,
  role: string,
  inviterId: string,
  now: Date,
) {
  return {
    id: newId(),
    organizationId: companyId,
    email: email.toLowerCase(),
    role,
    status: "pending",
    expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000),
    createdAt: now,
    inviterId,
  };
}

/** The organization and the owner's invitation, as statements for the registration's batch. */
export function organizationStatements(db: CentralDb, company: CompanyOrganization) {
  const owner = invitationValues(company.companyId, company.ownerEmail, "owner", SYSTEM_USER_ID, company.now);
  return {
    invitationId: owner.id,
    statements: [
      db.insert(organization).values({
        id: company.companyId,
        name: company.companyName,
        slug: company.companyCode.toLowerCase(),
        createdAt: company.now,
        metadata: JSON.stringify({ company_code: company.companyCode }),
      }),
      db.insert(invitation).values(owner),
    ] as const,
  };
}

/** Mails the owner's invitation; the company exists either way, so a failure is only logged. */
export async function sendOwnerInvitation(
  env: Env,
  db: CentralDb,
  company: CompanyOrganization,
  invitationId: string,
) {
  try {
    await authMail(mailerFor(env, db)).invitation(company.ownerEmail.toLowerCase(), {
      companyName: company.companyName,
      role: "owner",
      invitationId,
      inviter: "Nexus Central",
    });
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        event: "invitation_mail_failed",
        companyId: company.companyId,
        error: String(error),
      }),
    );
  }
}
