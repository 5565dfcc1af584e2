// Reading a company's audit log (services/audit.ts writes it): filtered pages, and the actions it holds.
import type { AuditLogQuerySchema } from "@nexus/contracts";
import { auditLogs } from "@nexus/db/central";
import { count, eq, gte, lt } from "drizzle-orm";
import type { z } from "zod";
import type { CentralDb } from "../env.ts";
import { listPage } from "./list-page.ts";

type AuditLogRow = typeof auditLogs.$inferSelect;
type AuditLogQuery = z.output<typeof AuditLogQuerySchema>;

export function toAuditEntryView(row: AuditLogRow) {
  return {
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
  };
}

/** One page of the company's entries, newest first. */
export function companyAuditLog(db: CentralDb, companyId: string, query: AuditLogQuery) {
  const t = auditLogs;
  return listPage(
    query,
    t.id,
    [
      eq(t.companyId, companyId),
      query.action ? eq(t.action, query.action) : undefined,
      query.actor_type ? eq(t.actorType, query.actor_type) : undefined,
      query.actor_id ? eq(t.actorId, query.actor_id) : undefined,
      query.from ? gte(t.createdAt, new Date(query.from)) : undefined,
      query.to ? lt(t.createdAt, new Date(query.to)) : undefined,
    ],
    ({ where, orderBy, limit }) => db.select().from(t).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
}

/** The actions the company's log holds, by name, with their number of entries. */
export function companyAuditActions(db: CentralDb, companyId: string) {
  return db
    .select({ action: auditLogs.action, entries: count() })
    .from(auditLogs)
    .where(eq(auditLogs.companyId, companyId))
    .groupBy(auditLogs.action)
    .orderBy(auditLogs.action);
}
