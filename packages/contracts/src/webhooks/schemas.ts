// Webhooks both ways. Inbound: providers (Stripe, GitHub, Twilio, any Standard Webhooks sender) post
// to /api/webhooks/{provider}. Outbound: companies subscribe endpoints to the event catalogue below;
// workers/consumers delivers each event signed in the Standard Webhooks format, with retries.
import { z } from "zod";
import { ErrorLevelSchema } from "../error-issues/schemas.ts";
import { IsoDateSchema, PaginationQuerySchema } from "../shared/common.ts";

// ---- the event catalogue ------------------------------------------------------------------------

const InstallationRef = {
  installation_id: z.string(),
  machine_id: z.string(),
  hostname: z.string().nullable(),
};

const ErrorIssueEventData = z.object({
  issue_id: z.string(),
  project_id: z.number().int(),
  title: z.string(),
  level: ErrorLevelSchema,
  release: z.string().nullable(),
  url: z.string().optional(),
});

/** Every event a company can subscribe to, with its `data` schema. */
export const webhookEventCatalogue = {
  "installation.activated": {
    description: "A machine joined the company (validate took a seat)",
    data: z.object({ ...InstallationRef, app_version: z.string().nullable() }),
  },
  "installation.deactivated": {
    description: "An administrator deactivated an installation; its seat is free",
    data: z.object({ ...InstallationRef, reason: z.string().nullable() }),
  },
  "installation.dead": {
    description: "An installation stayed silent past the dead-after window and lost its seat",
    data: z.object({ ...InstallationRef, last_seen_at: IsoDateSchema }),
  },
  "release.published": {
    description: "A release was published on a channel the company receives",
    data: z.object({
      release_id: z.string(),
      channel: z.string(),
      version: z.string(),
      rollout_percent: z.number(),
    }),
  },
  "rollout.halted": {
    description: "The staged rollout of a release the company receives was halted",
    data: z.object({
      release_id: z.string(),
      channel: z.string(),
      version: z.string(),
      /** manual: an operator halted it; health: its crash-free sessions fell below the threshold. */
      reason: z.enum(["manual", "health"]).optional(),
      /** The crash-free sessions rate (percent) that halted it, with reason `health`. */
      crash_free_sessions: z.number().optional(),
    }),
  },
  "company.settings_changed": {
    description: "The company's settings changed (apps pick them up at their next heartbeat)",
    data: z.object({ settings_version: z.number().int(), changed_keys: z.array(z.string()) }),
  },
  "telemetry.alert": {
    description: "A machine's health crossed into warning or critical (or recovered)",
    data: z.object({
      machine_id: z.string(),
      machine_name: z.string(),
      health_score: z.number().nullable(),
      severity: z.enum(["ok", "warning", "critical"]),
      previous_severity: z.enum(["ok", "warning", "critical"]).nullable(),
    }),
  },
  "error.issue.created": {
    description: "An app error that was never seen before became a new issue",
    data: ErrorIssueEventData,
  },
  "error.issue.regressed": {
    description: "A resolved issue occurred again (in its resolved release or a later one)",
    data: ErrorIssueEventData,
  },
  "search.performed": {
    description: "Someone searched the company's records (one event per search request)",
    data: z.object({
      query_id: z.string(),
      /** The normalised query (its terms, folded, joined by a space). */
      query: z.string(),
      result_count: z.number().int(),
      /** The types asked for; null when every type the caller may read was searched. */
      types: z.array(z.string()).nullable(),
    }),
  },
  "webhook.test": {
    description: "Sent by the test-send action; never sent otherwise",
    data: z.object({ endpoint_id: z.string(), message: z.string() }),
  },
} as const;

export type WebhookEventType = keyof typeof webhookEventCatalogue;
export const WEBHOOK_EVENT_TYPES = Object.keys(webhookEventCatalogue) as [
  WebhookEventType,
  ...WebhookEventType[],
];
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventData<T extends WebhookEventType> = z.infer<(typeof webhookEventCatalogue)[T]["data"]>;
/** Types an endpoint can subscribe to (the test event goes only where it is sent). */
export const SubscribableEventTypeSchema = WebhookEventTypeSchema.exclude(["webhook.test"]);

/** The JSON body of every delivery (Standard Webhooks' `type` / `timestamp` / `data` shape). */
export const WebhookPayloadSchema = z
  .object({
    id: z.string().meta({ description: "The event id; also sent as `webhook-id`, the same on every retry" }),
    type: WebhookEventTypeSchema,
    timestamp: IsoDateSchema,
    company_id: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "WebhookPayload" });
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;

/** The exact body of a delivery; the signature covers these bytes, so they are built once and kept. */
export function webhookPayloadBody(event: {
  id: string;
  type: WebhookEventType;
  createdAt: Date;
  companyId: string;
  data: Record<string, unknown>;
}): string {
  const payload: WebhookPayload = {
    id: event.id,
    type: event.type,
    timestamp: event.createdAt.toISOString(),
    company_id: event.companyId,
    data: event.data,
  };
  return JSON.stringify(payload);
}

// ---- delivery policy ----------------------------------------------------------------------------

export const WEBHOOK_DELIVERY = {
  /** Attempts per delivery, the first included (the `nexus-events` queue's max_retries + 1). */
  maxAttempts: 8,
  /** An attempt waits this long for the endpoint's answer. */
  timeoutMs: 10_000,
  /** Response body bytes kept in the delivery log. */
  maxLoggedResponseBytes: 1024,
  /** Days of uninterrupted failure after which an endpoint is disabled. */
  disableAfterDays: 5,
  /** Longest overlap during which a rotated secret still signs. */
  maxRotationOverlapHours: 7 * 24,
} as const;

// ---- endpoints ----------------------------------------------------------------------------------

export const WebhookEndpointSchema = z
  .object({
    id: z.string(),
    company_id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    event_types: z.array(SubscribableEventTypeSchema),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable(),
    failing_since: IsoDateSchema.nullable(),
    secret_prefix: z.string().meta({ description: "The first characters of the signing secret" }),
    previous_secret_expires_at: IsoDateSchema.nullable().meta({
      description: "Until then deliveries are signed with the previous secret as well",
    }),
    created_at: IsoDateSchema,
    updated_at: IsoDateSchema,
  })
  .meta({ id: "WebhookEndpoint" });
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

const EventTypesSchema = z
  .array(SubscribableEventTypeSchema)
  .min(1, "subscribe to at least one event type")
  .refine((types) => new Set(types).size === types.length, "list each event type once");

export const CreateWebhookEndpointRequestSchema = z
  .object({
    url: z.string().trim().max(2048),
    description: z.string().trim().max(500).optional(),
    event_types: EventTypesSchema,
  })
  .meta({ id: "CreateWebhookEndpointRequest" });

export const UpdateWebhookEndpointRequestSchema = z
  .object({
    url: z.string().trim().max(2048),
    description: z.string().trim().max(500).nullable(),
    event_types: EventTypesSchema,
    enabled: z.boolean().meta({ description: "true re-enables an endpoint that was disabled for failing" }),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, "send at least one field to change")
  .meta({ id: "UpdateWebhookEndpointRequest" });

export const RotateWebhookSecretRequestSchema = z
  .object({
    overlap_hours: z
      .number()
      .min(0)
      .max(WEBHOOK_DELIVERY.maxRotationOverlapHours)
      .default(24)
      .meta({ description: "How long deliveries carry the old secret's signature too" }),
  })
  .meta({ id: "RotateWebhookSecretRequest" });

export const WebhookEndpointResponseSchema = z.object({
  success: z.literal(true),
  endpoint: WebhookEndpointSchema,
});
export const WebhookEndpointWithSecretSchema = z
  .object({
    success: z.literal(true),
    endpoint: WebhookEndpointSchema,
    secret: z.string().meta({ description: "The `whsec_` signing secret, shown only in this answer" }),
  })
  .meta({ id: "WebhookEndpointWithSecret" });
export const WebhookEndpointListSchema = z.object({
  success: z.literal(true),
  endpoints: z.array(WebhookEndpointSchema),
});

// ---- deliveries ---------------------------------------------------------------------------------

export const DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    endpoint_id: z.string(),
    event_id: z.string(),
    event_type: WebhookEventTypeSchema,
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_latency_ms: z.number().int().nullable(),
    last_error: z.string().nullable(),
    next_attempt_at: IsoDateSchema.nullable().meta({ description: "When a failing delivery is tried again" }),
    created_at: IsoDateSchema,
    delivered_at: IsoDateSchema.nullable(),
  })
  .meta({ id: "WebhookDelivery" });
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const WebhookAttemptSchema = z
  .object({
    attempt: z.number().int(),
    attempted_at: IsoDateSchema,
    status_code: z.number().int().nullable(),
    latency_ms: z.number().int(),
    error: z.string().nullable(),
    response_body: z.string().nullable(),
  })
  .meta({ id: "WebhookAttempt" });

export const WebhookDeliveryListQuerySchema = PaginationQuerySchema.extend({
  endpoint_id: z.string().max(64).optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  event_type: WebhookEventTypeSchema.optional(),
});
export const WebhookDeliveryListSchema = z.object({
  success: z.literal(true),
  deliveries: z.array(WebhookDeliverySchema),
  next_cursor: z.string().nullable(),
});
export const WebhookDeliveryDetailSchema = z
  .object({
    success: z.literal(true),
    delivery: WebhookDeliverySchema,
    payload: WebhookPayloadSchema,
    attempts: z.array(WebhookAttemptSchema),
  })
  .meta({ id: "WebhookDeliveryDetail" });
export const WebhookDeliveryResponseSchema = z.object({
  success: z.literal(true),
  delivery: WebhookDeliverySchema,
});

// ---- inbound ------------------------------------------------------------------------------------

export const InboundProviderSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,31}$/, "a provider name such as stripe, github, twilio or a configured sender")
  .meta({ example: "stripe" });
export const InboundWebhookResponseSchema = z
  .object({
    success: z.literal(true),
    event_id: z.string(),
    duplicate: z.boolean().meta({
      description:
        "true when this event was received before and is processed or on its way (no second effect); false when this request queued it",
    }),
    state: z
      .enum(["received", "queued", "processed", "failed"])
      .meta({ description: "The event's processing state after this request" }),
  })
  .meta({ id: "InboundWebhookResponse" });

// ---- the `nexus-events` queue -------------------------------------------------------------------

export const EventsQueueMessageSchema = z.discriminatedUnion("kind", [
  /** Fan an outbox event out to the subscribed endpoints. */
  z.object({ kind: z.literal("event"), event_id: z.string() }),
  /** Deliver one event to one endpoint (one attempt per queue delivery). */
  z.object({
    kind: z.literal("delivery"),
    delivery_id: z.string(),
    company_id: z.string(),
    /** Redelivery and test sends: attempt even if the delivery already succeeded or failed. */
    manual: z.boolean().optional(),
  }),
  /** Act on a verified inbound webhook (e.g. Stripe billing). */
  z.object({ kind: z.literal("inbound"), provider: z.string(), event_id: z.string() }),
]);
export type EventsQueueMessage = z.infer<typeof EventsQueueMessageSchema>;
