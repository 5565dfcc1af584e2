// Operators' view of inbound webhooks (POST /api/webhooks/{provider}): each verified event with its
// processing state, and a replay for one that was not processed.
import { z } from "zod";
import { IsoDateSchema, PaginationQuerySchema } from "../shared/common.ts";

export const InboundWebhookStateSchema = z.enum(["received", "queued", "processed", "failed"]).meta({
  description:
    "received: stored, not yet on the queue; queued: on its way to the consumer; processed: acted on; failed: the sweeper's retries are spent (replay it)",
});
export type InboundWebhookState = z.infer<typeof InboundWebhookStateSchema>;

export const InboundWebhookListQuerySchema = PaginationQuerySchema.extend({
  provider: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,31}$/, "a provider name such as stripe, github or twilio")
    .optional(),
  state: InboundWebhookStateSchema.optional(),
});

export const InboundWebhookEventSchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    event_id: z.string().meta({ description: "The replay key, taken from signed content only" }),
    sender_event_id: z
      .string()
      .nullable()
      .meta({ description: "The sender's own request id when it is not signed (X-GitHub-Delivery)" }),
    event_type: z.string().nullable(),
    state: InboundWebhookStateSchema,
    attempts: z.number().int().meta({ description: "Times the event was put on the queue" }),
    next_attempt_at: IsoDateSchema.nullable().meta({
      description: "When the sweeper queues it again if it is still not processed",
    }),
    last_error: z.string().nullable(),
    outcome: z.string().nullable().meta({ description: "What processing did, e.g. applied or ignored" }),
    received_at: IsoDateSchema,
    processed_at: IsoDateSchema.nullable(),
    payload_bytes: z.number().int(),
  })
  .meta({ id: "InboundWebhookEvent", description: "A verified inbound webhook and its processing state" });
export type InboundWebhookEvent = z.infer<typeof InboundWebhookEventSchema>;

export const InboundWebhookListSchema = z
  .object({
    success: z.literal(true),
    events: z.array(InboundWebhookEventSchema).meta({ description: "Newest first" }),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "InboundWebhookList" });

export const InboundWebhookEventParamsSchema = z.object({ eventId: z.string().min(1).max(64) });

export const InboundWebhookItemSchema = z
  .object({ success: z.literal(true), event: InboundWebhookEventSchema })
  .meta({ id: "InboundWebhookItem" });

/** The sweeper gives up on an event queued this many times without being processed (state failed). */
export const INBOUND_MAX_ATTEMPTS = 8;

/** The first retry delay and the longest one (see `inboundRetryDelayMs`). */
export const INBOUND_RETRY_FIRST_MS = 5 * 60_000;
export const INBOUND_RETRY_MAX_MS = 6 * 3_600_000;

/**
 * How long after its `attempts`-th queueing an unprocessed event is taken as lost and queued again:
 * 5 minutes doubling per attempt, at most 6 hours (about 16 hours in all before it is marked failed).
 * A message still in flight may then be queued twice; the consumer applies an event once.
 */
export function inboundRetryDelayMs(attempts: number): number {
  return Math.min(
    INBOUND_RETRY_FIRST_MS * 2 ** Math.min(16, Math.max(0, attempts - 1)),
    INBOUND_RETRY_MAX_MS,
  );
}
