// A company's audit log: who did what, from where, filtered and paged (services/audit-log.ts).
import type { Operation } from "../../lib/operation.ts";
import { listAuditActions } from "./list-audit-actions.ts";
import { listAuditLog } from "./list-audit-log.ts";

export const auditLogOperations: Operation[] = [listAuditLog, listAuditActions];
