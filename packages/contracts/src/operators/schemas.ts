// Platform operators (NEXUS_ADMIN_SECRET or an operator's session), and the mail outbox they read.
import { z } from "zod";
import { IsoDateSchema } from "../shared/common.ts";

export const OperatorSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string(), created_at: IsoDateSchema })
  .meta({ id: "Operator" });
export const CreateOperatorRequestSchema = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(200),
    password: z.string().min(10, "at least 10 characters").max(200),
  })
  .meta({ id: "CreateOperatorRequest" });
export const OperatorResponseSchema = z.object({ success: z.literal(true), operator: OperatorSchema });
export const OperatorListSchema = z.object({ success: z.literal(true), operators: z.array(OperatorSchema) });

export const MailOutboxQuerySchema = z.object({
  to: z.string().trim().max(254).optional().meta({ description: "Only mail to this address" }),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});
export const MailOutboxSchema = z
  .object({
    success: z.literal(true),
    mail: z.array(
      z.object({
        id: z.string(),
        to: z.string(),
        subject: z.string(),
        text: z.string(),
        created_at: IsoDateSchema,
      }),
    ),
  })
  .meta({ id: "MailOutbox" });
