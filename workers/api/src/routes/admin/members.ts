// A company's dashboard users and invitations, on the company-scoped admin API (the same rows
// better-auth's organization endpoints use, so both views agree).
import { COMPANY_ROLES, routes } from "@nexus/contracts";
import { invitation, member, organizationRole, user } from "@nexus/db/auth";
import { and, desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, validParams } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import { getCompanyView } from "../../services/companies.ts";
import { authMail, mailerFor } from "../../services/mail.ts";
import { roleChangeRefusal } from "../../services/member-access.ts";
import { invitationValues, SYSTEM_USER_ID } from "../../services/organizations.ts";

const { listMembers, changeMemberRole, removeMember, listInvitations, createInvitation, cancelInvitation } =
  routes;

async function membersOf(c: Context<AppEnv>, companyId: string) {
  return c
    .get("db")
    .select({ member, user: { email: user.email, name: user.name } })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.organizationId, companyId))
    .orderBy(member.createdAt);
}

type MemberRow = Awaited<ReturnType<typeof membersOf>>[number];
const toMemberView = (row: MemberRow) => ({
  id: row.member.id,
  user_id: row.member.userId,
  email: row.user.email,
  name: row.user.name,
  role: row.member.role,
  created_at: row.member.createdAt.toISOString(),
});
const toInvitationView = (row: Omit<typeof invitation.$inferSelect, "teamId">) => ({
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

export const memberAdminRoutes = new Hono<AppEnv>()
  .get(honoPath(listMembers.path), validParams(listMembers.params), async (c) => {
    const rows = await membersOf(c, c.req.valid("param").companyId);
    return c.json({ success: true as const, members: rows.map(toMemberView) });
  })
  .patch(
    honoPath(changeMemberRole.path),
    validParams(changeMemberRole.params),
    jsonBody(changeMemberRole.body),
    async (c) => {
      const { companyId, memberId } = c.req.valid("param");
      const { role } = c.req.valid("json");
      await requireRole(c, companyId, role);
      const target = await memberForChange(c, companyId, memberId, role);
      const db = c.get("db");
      await db.batch([
        db
          .update(member)
          .set({ role })
          .where(and(eq(member.id, memberId), eq(member.organizationId, companyId))),
        auditStatement(c, {
          companyId,
          action: "member.role_changed",
          targetType: "member",
          targetId: memberId,
          details: { from: target.member.role, to: role, email: target.user.email },
        }),
      ]);
      return c.json({
        success: true as const,
        member: toMemberView({ ...target, member: { ...target.member, role } }),
      });
    },
  )
  .post(honoPath(removeMember.path), validParams(removeMember.params), async (c) => {
    const { companyId, memberId } = c.req.valid("param");
    const target = await memberForChange(c, companyId, memberId, null);
    const db = c.get("db");
    await db.batch([
      db.delete(member).where(and(eq(member.id, memberId), eq(member.organizationId, companyId))),
      auditStatement(c, {
        companyId,
        action: "member.removed",
        targetType: "member",
        targetId: memberId,
        details: { email: target.user.email, role: target.member.role },
      }),
    ]);
    return c.json({ success: true as const, member: toMemberView(target) });
  })
  .get(honoPath(listInvitations.path), validParams(listInvitations.params), async (c) => {
    const rows = await c
      .get("db")
      .select()
      .from(invitation)
      .where(eq(invitation.organizationId, c.req.valid("param").companyId))
      .orderBy(desc(invitation.createdAt));
    return c.json({ success: true as const, invitations: rows.map(toInvitationView) });
  })
  .post(
    honoPath(createInvitation.path),
    validParams(createInvitation.params),
    jsonBody(createInvitation.body),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const { email, role } = c.req.valid("json");
      await requireRole(c, companyId, role);
      await requireMayHandle(c, companyId, role, `invite someone as "${role}"`);
      const company = await getCompanyView(c, companyId);
      const actor = c.get("actor");
      const values = invitationValues(
        companyId,
        email,
        role,
        actor.type === "user" && actor.id ? actor.id : SYSTEM_USER_ID,
        new Date(),
      );
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
      const [inviter] = await db
        .select({ email: user.email })
        .from(user)
        .where(eq(user.id, values.inviterId));
      await authMail(mailerFor(c.env, db)).invitation(values.email, {
        companyName: company.company_name,
        role,
        invitationId: values.id,
        inviter: inviter?.email ?? "Nexus Central",
      });
      return c.json({ success: true as const, invitation: toInvitationView(values) }, 201);
    },
  )
  .post(honoPath(cancelInvitation.path), validParams(cancelInvitation.params), async (c) => {
    const { companyId, invitationId } = c.req.valid("param");
    const db = c.get("db");
    const where = and(eq(invitation.id, invitationId), eq(invitation.organizationId, companyId));
    const [row] = await db.select().from(invitation).where(where);
    if (!row) throw new ApiError("NOT_FOUND", `This company has no invitation ${invitationId}.`);
    const role = row.role ?? "member";
    await requireMayHandle(c, companyId, role, `cancel an invitation as "${role}"`);
    if (row.status === "pending") {
      await db.batch([
        db.update(invitation).set({ status: "canceled" }).where(where),
        auditStatement(c, {
          companyId,
          action: "invitation.canceled",
          targetType: "invitation",
          targetId: invitationId,
        }),
      ]);
    }
    return c.json({
      success: true as const,
      invitation: toInvitationView({ ...row, status: row.status === "pending" ? "canceled" : row.status }),
    });
  });
