// The audit log of operators' and companies' actions.
import { z } from "zod";
import { IsoDateSchema, PaginationQuerySchema } from "../shared/common.ts";

export const AuditLogQuerySchema = PaginationQuerySchema.extend({
  action: z.string().trim().max(100).optional(),
  actor_type: z
    .enum(["operator", "user", "api_key", "registration_token", "anonymous", "installation", "system"])
    .optional(),
  actor_id: z.string().trim().max(100).optional(),
  from: IsoDateSchema.optional().meta({ description: "Entries at or after this time" }),
  to: IsoDateSchema.optional().meta({ description: "Entries before this time" }),
});
export const AuditLogEntrySchema = z
  .object({
    id: z.string(),
    company_id: z.string().nullable(),
    actor_type: z.string(),
    actor_id: z.string().nullable(),
    action: z.string(),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    ip_address: z.string().nullable(),
    user_agent: z.string().nullable(),
    request_id: z.string().nullable(),
    created_at: IsoDateSchema,
    actor_label: z.string().optional().meta({
      description:
        'Who acted, by name: "Platform operator", "Operator ops@example.com", "API key \'ci\'", an installation\'s hostname, a member\'s name and email, "System". Absent when it cannot be named (actor_id stays).',
    }),
    target_label: z.string().optional().meta({
      description:
        "What was acted on, by name (an installation's hostname, a member's email, an API key's or document's name, a project's reference and client, a webhook endpoint's URL). Absent when it cannot be named (target_id stays).",
    }),
  })
  .meta({ id: "AuditLogEntry" });
export const AuditLogListSchema = z
  .object({
    success: z.literal(true),
    entries: z.array(AuditLogEntrySchema),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "AuditLogList" });

export const AuditActionListSchema = z
  .object({
    success: z.literal(true),
    actions: z.array(z.object({ action: z.string(), entries: z.number().int() })).meta({
      description: "Every action in the company's audit log, by name, with how many entries it has",
    }),
  })
  .meta({ id: "AuditActionList" });
