// Platform operators are dashboard users with better-auth's admin role. The first one is created
// with NEXUS_ADMIN_SECRET (`nexus admin create`); operators can then create more from their session.
import { user } from "@nexus/db/auth";
import { asc, eq } from "drizzle-orm";
import type { Context } from "hono";
import { authFor } from "../auth/auth.ts";
import type { AppEnv, CentralDb } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { auditStatement } from "./audit.ts";

const toOperator = (row: { id: string; email: string; name: string; createdAt: Date }) => ({
  id: row.id,
  email: row.email,
  name: row.name,
  created_at: row.createdAt.toISOString(),
});

/** Every operator, oldest first. */
export async function operatorList(db: CentralDb) {
  const rows = await db.select().from(user).where(eq(user.role, "admin")).orderBy(asc(user.createdAt));
  return rows.map(toOperator);
}

/** Creates an operator who signs in with email and password; their address counts as verified. */
export async function createOperatorUser(
  c: Context<AppEnv>,
  input: { email: string; name: string; password: string },
) {
  const db = c.get("db");
  const email = input.email.toLowerCase();
  const [existing] = await db.select({ id: user.id }).from(user).where(eq(user.email, email)).limit(1);
  if (existing) throw new ApiError("USER_EXISTS", `A user with the email ${email} already exists.`);
  // Called on the server without the caller's headers: the route's own access rule has decided.
  const created = await authFor(c.env).api.createUser({
    body: { email, name: input.name, password: input.password, role: "admin" },
  });
  await db.batch([
    db.update(user).set({ emailVerified: true }).where(eq(user.id, created.user.id)),
    auditStatement(c, {
      companyId: null,
      action: "operator.created",
      targetType: "user",
      targetId: created.user.id,
      details: { email },
    }),
  ]);
  return toOperator(created.user);
}
