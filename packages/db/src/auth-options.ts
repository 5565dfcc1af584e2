// better-auth's configuration without bindings: the plugins, roles and rules. The API builds its
// instance from this with the central D1 (workers/api/src/auth/auth.ts); the schema generator uses it
// with a dummy adapter (packages/db/auth.config.ts), so the tables always match the plugins in use.
// It lives here, beside the tables it defines, so the dependency points from the worker to the package.
import { companyPermissions, companyRolePermissions } from "@nexus/contracts";
import type { BetterAuthOptions } from "better-auth";
import { admin, organization } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, memberAc, ownerAc } from "better-auth/plugins/organization/access";

export const accessControl = createAccessControl({ ...defaultStatements, ...companyPermissions });

export const companyRoles = {
  owner: accessControl.newRole({ ...ownerAc.statements, ...companyRolePermissions.owner }),
  admin: accessControl.newRole({ ...adminAc.statements, ...companyRolePermissions.admin }),
  member: accessControl.newRole({ ...memberAc.statements, ...companyRolePermissions.member }),
  installer: accessControl.newRole({ ...memberAc.statements, ...companyRolePermissions.installer }),
};

/** Mail better-auth asks us to send; the API's Mailer delivers it (an outbox locally). */
export interface AuthMail {
  verifyEmail(to: string, url: string): Promise<void>;
  resetPassword(to: string, url: string): Promise<void>;
  invitation(
    to: string,
    details: { companyName: string; role: string; invitationId: string; inviter: string },
  ): Promise<void>;
}

const noMail: AuthMail = {
  verifyEmail: async () => {},
  resetPassword: async () => {},
  invitation: async () => {},
};

export function authOptions(mail: AuthMail = noMail) {
  return {
    appName: "Nexus Central",
    basePath: "/api/auth",
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 10,
      sendResetPassword: async ({ user, url }) => mail.resetPassword(user.email, url),
      revokeSessionsOnPasswordReset: true,
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      sendVerificationEmail: async ({ user, url }) => mail.verifyEmail(user.email, url),
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 60, max: 5 },
        "/request-password-reset": { window: 300, max: 3 },
      },
    },
    plugins: [
      organization({
        ac: accessControl,
        roles: companyRoles,
        creatorRole: "owner",
        teams: { enabled: true },
        dynamicAccessControl: { enabled: true },
        sendInvitationEmail: async (data) =>
          mail.invitation(data.email, {
            companyName: data.organization.name,
            role: data.role,
            invitationId: data.id,
            inviter: data.inviter.user.email,
          }),
      }),
      admin(),
    ],
  } satisfies Omit<BetterAuthOptions, "database">;
}
