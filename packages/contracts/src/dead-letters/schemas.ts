// Dead letters: queue messages that failed every retry (telemetry batches from nexus-telemetry,
// webhook deliveries and inbound events from nexus-events), kept by workers/consumers in the central
// database. Operators list and inspect them, replay them onto their original queue, or discard them.
import { z } from "zod";
import { IsoDateSchema, PaginationQuerySchema } from "../shared/common.ts";

export const DeadLetterStateSchema = z
  .enum(["pending", "replayed", "discarded"])
  .meta({ description: "pending until an operator replays or discards it" });

export const DeadLetterListQuerySchema = PaginationQuerySchema.extend({
  queue: z
    .string()
    .regex(/^[a-z0-9-]{1,63}$/, "a queue name such as nexus-telemetry-dlq or nexus-events-dlq")
    .optional(),
  kind: z
    .string()
    .regex(/^[a-z_]{1,32}$/, "a message kind such as samples, delivery or inbound")
    .optional()
    .meta({ description: "The message body's `kind`" }),
  company_id: z.string().min(1).max(64).optional(),
  state: DeadLetterStateSchema.optional(),
  since: IsoDateSchema.optional().meta({ description: "Dead-lettered at or after" }),
  until: IsoDateSchema.optional().meta({ description: "Dead-lettered before" }),
});

const DeadLetterFields = {
  id: z.string(),
  queue: z.string().meta({ description: "Where it was dead-lettered (usually the `-dlq` queue)" }),
  original_queue: z.string().meta({ description: "The queue a replay sends it to" }),
  message_id: z.string(),
  kind: z.string().nullable().meta({ description: "The message body's `kind`" }),
  company_id: z.string().nullable(),
  attempts: z.number().int(),
  state: DeadLetterStateSchema,
  created_at: IsoDateSchema,
  resolved_at: IsoDateSchema.nullable(),
  resolved_by: z.string().nullable().meta({ description: "The operator who replayed or discarded it" }),
};

export const DeadLetterSchema = z
  .object({ ...DeadLetterFields, body_bytes: z.number().int() })
  .meta({ id: "DeadLetter", description: "A dead letter without its body" });
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

export const DeadLetterDetailSchema = z
  .object({ ...DeadLetterFields, body: z.unknown().meta({ description: "The message body as queued" }) })
  .meta({ id: "DeadLetterDetail" });
export type DeadLetterDetail = z.infer<typeof DeadLetterDetailSchema>;

export const DeadLetterListSchema = z
  .object({
    success: z.literal(true),
    dead_letters: z.array(DeadLetterSchema).meta({ description: "Newest first" }),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "DeadLetterList" });

export const DeadLetterParamsSchema = z.object({ deadLetterId: z.string().min(1).max(64) });

export const DeadLetterItemSchema = z
  .object({ success: z.literal(true), dead_letter: DeadLetterDetailSchema })
  .meta({ id: "DeadLetterItem" });

export const ReplayDeadLettersRequestSchema = z
  .object({ ids: z.array(z.string().min(1).max(64)).min(1).max(100) })
  .meta({ id: "ReplayDeadLettersRequest" });

export const ReplayDeadLettersResponseSchema = z
  .object({
    success: z.literal(true),
    replayed: z.array(z.string()).meta({ description: "Ids sent back onto their original queue" }),
    skipped: z
      .array(z.object({ id: z.string(), reason: z.string() }))
      .meta({ description: "Ids not replayed: unknown, already replayed or discarded" }),
  })
  .meta({ id: "ReplayDeadLettersResponse" });
