// Audit rows the consumers write for what they changed on their own (billing, disabled endpoints,
// rollouts halted by release health).
import { newId } from "@nexus/db";
import { auditLogs } from "@nexus/db/central";
import { type SQL, sql } from "drizzle-orm";
import type { Orm } from "./db.ts";

export interface SystemAudit {
  /** null: a platform change (a release), as the API audits operators' release changes. */
  companyId: string | null;
  /** Who acted, e.g. `stripe` or `webhooks` (actor type `system`). */
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  /** The JSON text of the details (a bound string or an SQL expression building it). */
  details: SQL;
  now: number;
}

/**
 * The audit row, written only if the batch's previous statement changed a row. Raw SQL inside
 * drizzle's insert … select: drizzle's values() takes no condition, and only an INSERT … SELECT …
 * WHERE changes() > 0 can depend on the previous statement. Every column, in the table's order.
 */
export function auditIfPreviousChanged(db: Orm, audit: SystemAudit) {
  return db.insert(auditLogs).select(
    sql`SELECT ${newId(audit.now)}, ${audit.companyId}, 'system', ${audit.actorId}, ${audit.action},
        ${audit.targetType}, ${audit.targetId}, ${audit.details}, NULL, NULL, NULL, ${audit.now}
        WHERE changes() > 0`,
  );
}
