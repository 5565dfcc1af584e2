import { routes } from "@nexus/contracts";
import { auditLogs } from "@nexus/db/central";
import { and, count, desc, eq, gte, lt } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { honoPath, pageOf, validParams, validQuery } from "../../lib/route.ts";
import { getCompanyView } from "../../services/companies.ts";

const contract = routes.listAuditLog;
const { listAuditActions } = routes;

export const auditLogAdminRoutes = new Hono<AppEnv>()
  .get(honoPath(listAuditActions.path), validParams(listAuditActions.params), async (c) => {
    const { companyId } = c.req.valid("param");
    await getCompanyView(c, companyId);
    const actions = await c
      .get("db")
      .select({ action: auditLogs.action, entries: count() })
      .from(auditLogs)
      .where(eq(auditLogs.companyId, companyId))
      .groupBy(auditLogs.action)
      .orderBy(auditLogs.action);
    return c.json({ success: true as const, actions });
  })
  .get(honoPath(contract.path), validParams(contract.params), validQuery(contract.query), async (c) => {
    const { companyId } = c.req.valid("param");
    const { action, actor_type, actor_id, from, to, limit, cursor } = c.req.valid("query");
    await getCompanyView(c, companyId);
    const rows = await c
      .get("db")
      .select()
      .from(auditLogs)
      .where(
        and(
          eq(auditLogs.companyId, companyId),
          action ? eq(auditLogs.action, action) : undefined,
          actor_type ? eq(auditLogs.actorType, actor_type) : undefined,
          actor_id ? eq(auditLogs.actorId, actor_id) : undefined,
          from ? gte(auditLogs.createdAt, new Date(from)) : undefined,
          to ? lt(auditLogs.createdAt, new Date(to)) : undefined,
          cursor ? lt(auditLogs.id, cursor) : undefined,
        ),
      )
      .orderBy(desc(auditLogs.id))
      .limit(limit + 1);
    const page = pageOf(rows, limit);
    return c.json({
      success: true as const,
      entries: page.items.map((row) => ({
        id: row.id,
        company_id: row.companyId,
        actor_type: row.actorType,
        actor_id: row.actorId,
        action: row.action,
        target_type: row.targetType,
        target_id: row.targetId,
        details: row.details,
        ip_address: row.ipAddress,
        user_agent: row.userAgent,
        request_id: row.requestId,
        created_at: row.createdAt.toISOString(),
      })),
      next_cursor: page.nextCursor,
    });
  });
