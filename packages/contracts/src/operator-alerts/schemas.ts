// Operator alerts: conditions of the platform that need a person (the tenant pool running low, dead
// letters piling up, a company's webhook endpoints failing), raised once per condition, sent by the
// notification service to OPERATOR_ALERT_EMAILS and listed here until resolved.
import { z } from "zod";
import { IsoDateSchema, PaginationQuerySchema } from "../shared/common.ts";

export const OPERATOR_ALERT_KINDS = ["tenant_pool_low", "dead_letters_growing", "webhooks_failing"] as const;
export const OperatorAlertKindSchema = z.enum(OPERATOR_ALERT_KINDS);
export type OperatorAlertKind = z.infer<typeof OperatorAlertKindSchema>;

export const OperatorAlertStatusSchema = z.enum(["open", "resolved"]).meta({
  description:
    "open while the condition holds; resolved by the next check that finds it gone, or by an operator",
});

export const OperatorAlertSchema = z
  .object({
    id: z.string(),
    kind: OperatorAlertKindSchema,
    company_id: z
      .string()
      .nullable()
      .meta({ description: "The company concerned, for per-company conditions" }),
    subject: z.string(),
    body: z.string(),
    details: z.record(z.string(), z.unknown()).meta({ description: "The figures the check saw" }),
    status: OperatorAlertStatusSchema,
    delivered_to: z.array(z.string()).meta({ description: "The addresses the alert was mailed to" }),
    created_at: IsoDateSchema,
    resolved_at: IsoDateSchema.nullable(),
  })
  .meta({ id: "OperatorAlert" });
export type OperatorAlert = z.infer<typeof OperatorAlertSchema>;

export const OperatorAlertListQuerySchema = PaginationQuerySchema.extend({
  status: OperatorAlertStatusSchema.optional(),
  kind: OperatorAlertKindSchema.optional(),
});

export const OperatorAlertListSchema = z
  .object({
    success: z.literal(true),
    alerts: z.array(OperatorAlertSchema).meta({ description: "Newest first" }),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "OperatorAlertList" });

export const OperatorAlertParamsSchema = z.object({ alertId: z.string().min(1).max(64) });

export const OperatorAlertItemSchema = z
  .object({ success: z.literal(true), alert: OperatorAlertSchema })
  .meta({ id: "OperatorAlertItem" });
