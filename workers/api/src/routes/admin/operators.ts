// Platform operators, and the mail outbox they read locally. Operators are dashboard users with
// better-auth's admin role. The first one is created with
// NEXUS_ADMIN_SECRET (`nexus admin create`); operators can then create more from their session.
import { routes } from "@nexus/contracts";
import { user } from "@nexus/db/auth";
import { mailOutbox } from "@nexus/db/central";
import { asc, desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { authFor } from "../../auth/auth.ts";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, validQuery } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";

const { listOperators, createOperator, mailOutbox: mailOutboxRoute } = routes;

const toOperator = (row: { id: string; email: string; name: string; createdAt: Date }) => ({
  id: row.id,
  email: row.email,
  name: row.name,
  created_at: row.createdAt.toISOString(),
});

export const operatorAdminRoutes = new Hono<AppEnv>()
  .get(honoPath(listOperators.path), async (c) => {
    const rows = await c
      .get("db")
      .select()
      .from(user)
      .where(eq(user.role, "admin"))
      .orderBy(asc(user.createdAt));
    return c.json({ success: true as const, operators: rows.map(toOperator) });
  })
  .get(honoPath(mailOutboxRoute.path), validQuery(mailOutboxRoute.query), async (c) => {
    const { to, limit } = c.req.valid("query");
    const rows = await c
      .get("db")
      .select()
      .from(mailOutbox)
      .where(to ? eq(mailOutbox.to, to.toLowerCase()) : undefined)
      .orderBy(desc(mailOutbox.id))
      .limit(limit);
    return c.json({
      success: true as const,
      mail: rows.map((row) => ({
        id: row.id,
        to: row.to,
        subject: row.subject,
        text: row.text,
        created_at: row.createdAt.toISOString(),
      })),
    });
  })
  .post(honoPath(createOperator.path), jsonBody(createOperator.body), async (c) => {
    const input = c.req.valid("json");
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
    return c.json({ success: true as const, operator: toOperator(created.user) }, 201);
  });
