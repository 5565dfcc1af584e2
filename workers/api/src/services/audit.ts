import { auditLogs } from "@nexus/db/central";
import type { Context } from "hono";
import type { Actor, AppEnv, CentralDb } from "../env.ts";
import { newId } from "../lib/ids.ts";

export interface AuditEvent {
  companyId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

interface RequestOrigin {
  ipAddress: string | null;
  userAgent: string | null;
  requestId: string | null;
}

const NO_REQUEST: RequestOrigin = { ipAddress: null, userAgent: null, requestId: null };

/** Client address as Cloudflare reports it. */
export function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header("cf-connecting-ip") ?? null;
}

/**
 * The audit row for a mutation made in a request, as a statement to put in the same `db.batch` as
 * the mutation so both land or neither does.
 */
export function auditStatement(c: Context<AppEnv>, event: AuditEvent) {
  return systemAuditStatement(c.get("db"), c.get("actor"), event, {
    ipAddress: clientIp(c),
    userAgent: c.req.header("user-agent")?.slice(0, 512) ?? null,
    requestId: c.get("requestId"),
  });
}

/** The audit row for a mutation made outside a request (e.g. by a Durable Object's alarm). */
export function systemAuditStatement(db: CentralDb, actor: Actor, event: AuditEvent, origin = NO_REQUEST) {
  return db.insert(auditLogs).values({
    id: newId(),
    companyId: event.companyId,
    actorType: actor.type,
    actorId: actor.id,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    details: event.details ?? null,
    ...origin,
  });
}
