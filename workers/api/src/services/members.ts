// A company's dashboard users and invitations, on the company-scoped admin API (the same rows
// better-auth's organization endpoints use, so both views agree).
import { COMPANY_ROLES } from "@nexus/contracts";
import { invitation, member, organizationRole, user } from "@nexus/db/auth";
import { and, desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import { forgetIdentities } from "../auth/identity-cache.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { auditStatement } from "./audit.ts";
import { getCompanyView } from "./companies.ts";
import { authMail, mailerFor } from "./mail.ts";
import { roleChangeRefusal } from "./member-access.ts";
import { invitationValues } from "./organizations.ts";
import { reindexMembers } from "./search/member-index.ts";

type InvitationRow = Omit<typeof invitation.$inferSelect, "teamId">;

/** The company's members with their user's email and name, oldest first. */
export async function membersOf(c: Context<AppEnv>, companyId: string) {
  return c
    .get("db")
    .select({ member, user: { email: user.email, name: user.name } })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.organizationId, companyId))
    .orderBy(member.createdAt);
}

type MemberRow = Awaited<ReturnType<typeof membersOf>>[number];

export const toMemberView = (row: MemberRow) => ({
  id: row.member.id,
  user_id: row.member.userId,
  email: row.user.email,
  name: row.user.name,
  role: row.member.role,
  created_at: row.member.createdAt.toISOString(),
});

export const toInvitationView = (row: InvitationRow) => ({
  id: row.id,
  email: row.email,
  role: row.role ?? "member",
  status: row.status,
  expires_at: row.expiresAt.toISOString(),
  created_at: row.createdAt.toISOString(),
});

const isOwner = (role: string) => role.split(",").includes("owner");

/** Built-in roles, or a custom role the company defined. */
async function requireRole(c: Context<AppEnv>, companyId: string, role: string): Promise<void> {
  if ((COMPANY_ROLES as readonly string[]).includes(role)) return;
  const [custom] = await c
    .get("db")
    .select({ id: organizationRole.id })
    .from(organizationRole)
    .where(and(eq(organizationRole.organizationId, companyId), eq(organizationRole.role, role)))
    .limit(1);
  if (!custom) {
    throw new ApiError(
      "VALIDATION_FAILED",
      `There is no role "${role}" in this company: use ${COMPANY_ROLES.join(", ")} or one of its custom roles.`,
    );
  }
}

/** Refuses (403) giving, taking away or changing a role that can do more than the caller's own. */
async function requireMayHandle(c: Context<AppEnv>, companyId: string, role: string, what: string) {
  const refusal = await roleChangeRefusal(c, companyId, role);
  if (refusal) throw new ApiError("FORBIDDEN", `You cannot ${what}. ${refusal}`, { role });
}

/**
 * The member, once the caller may handle their current role (and `newRole`, if given), and a
 * refusal when the change would leave the company without an owner.
 */
async function memberForChange(
  c: Context<AppEnv>,
  companyId: string,
  memberId: string,
  newRole: string | null,
) {
  const members = await membersOf(c, companyId);
  const target = members.find((row) => row.member.id === memberId);
  if (!target) throw new ApiError("NOT_FOUND", `This company has no member ${memberId}.`);
  const verb = newRole === null ? "remove" : "change the role of";
  await requireMayHandle(
    c,
    companyId,
    target.member.role,
    `${verb} ${target.user.email} (${target.member.role})`,
  );
  if (newRole !== null) await requireMayHandle(c, companyId, newRole, `give the role "${newRole}"`);
  const keepsOwner = newRole !== null && isOwner(newRole);
  const owners = members.filter((row) => isOwner(row.member.role));
  if (isOwner(target.member.role) && !keepsOwner && owners.length === 1) {
    throw new ApiError("LAST_OWNER", "A company keeps at least one owner: make someone else owner first.");
  }
  return target;
}

const memberWhere = (companyId: string, memberId: string) =>
  and(eq(member.id, memberId), eq(member.organizationId, companyId));

/** Gives a member another role; answers with the member as they are now. */
export async function changeRole(
  c: Context<AppEnv>,
  companyId: string,
  memberId: string,
  role: string,
): Promise<MemberRow> {
  await requireRole(c, companyId, role);
  const target = await memberForChange(c, companyId, memberId, role);
  const db = c.get("db");
  await db.batch([
    db.update(member).set({ role }).where(memberWhere(companyId, memberId)),
    auditStatement(c, {
      companyId,
      action: "member.role_changed",
      targetType: "member",
      targetId: memberId,
      details: { from: target.member.role, to: role, email: target.user.email },
    }),
  ]);
  // Their remembered permissions go at once in this isolate, within seconds elsewhere.
  forgetIdentities();
  await reindexMembers(c.env, [companyId]);
  return { ...target, member: { ...target.member, role } };
}

/** Removes a member from the company (their account stays); answers with the member as they were. */
export async function removeFromCompany(
  c: Context<AppEnv>,
  companyId: string,
  memberId: string,
): Promise<MemberRow> {
  const target = await memberForChange(c, companyId, memberId, null);
  const db = c.get("db");
  await db.batch([
    db.delete(member).where(memberWhere(companyId, memberId)),
    auditStatement(c, {
      companyId,
      action: "member.removed",
      targetType: "member",
      targetId: memberId,
      details: { email: target.user.email, role: target.member.role },
    }),
  ]);
  forgetIdentities();
  await reindexMembers(c.env, [companyId]);
  return target;
}

/** The company's invitations, newest first. */
export function invitationsOf(c: Context<AppEnv>, companyId: string) {
  return c
    .get("db")
    .select()
    .from(invitation)
    .where(eq(invitation.organizationId, companyId))
    .orderBy(desc(invitation.createdAt));
}

/** Invites `email` as `role` from `inviterId`, and mails them the invitation. */
export async function invite(
  c: Context<AppEnv>,
  companyId: string,
  input: { email: string; role: string; inviterId: string },
): Promise<InvitationRow> {
  const { role } = input;
  await requireRole(c, companyId, role);
  await requireMayHandle(c, companyId, role, `invite someone as "${role}"`);
  const company = await getCompanyView(c, companyId);
  const values = invitationValues(companyId, input.email, role, input.inviterId, new Date());
  const db = c.get("db");
  await db.batch([
    db.insert(invitation).values(values),
    auditStatement(c, {
      companyId,
      action: "invitation.created",
      targetType: "invitation",
      targetId: values.id,
      details: { email: values.email, role },
    }),
  ]);
  const [inviter] = await db.select({ email: user.email }).from(user).where(eq(user.id, values.inviterId));
  await authMail(mailerFor(c.env, db)).invitation(values.email, {
    companyName: company.company_name,
    role,
    invitationId: values.id,
    inviter: inviter?.email ?? "Nexus Central",
  });
  return values;
}

/** Cancels a pending invitation; one already accepted or canceled is answered as it is. */
export async function cancelPendingInvitation(
  c: Context<AppEnv>,
  companyId: string,
  invitationId: string,
): Promise<InvitationRow> {
  const db = c.get("db");
  const where = and(eq(invitation.id, invitationId), eq(invitation.organizationId, companyId));
  const [row] = await db.select().from(invitation).where(where);
  if (!row) throw new ApiError("NOT_FOUND", `This company has no invitation ${invitationId}.`);
  const role = row.role ?? "member";
  await requireMayHandle(c, companyId, role, `cancel an invitation as "${role}"`);
  if (row.status !== "pending") return row;
  await db.batch([
    db.update(invitation).set({ status: "canceled" }).where(where),
    auditStatement(c, {
      companyId,
      action: "invitation.canceled",
      targetType: "invitation",
      targetId: invitationId,
    }),
  ]);
  return { ...row, status: "canceled" };
}
