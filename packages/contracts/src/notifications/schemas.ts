// Notifications: triggering a workflow for recipients, and the history of what was sent (docs/notifications.md).
import { z } from "zod";
import { IsoDateSchema } from "../shared/common.ts";

export const NOTIFICATION_CHANNELS = ["email", "sms", "push", "in_app"] as const;
export const NotificationChannelSchema = z.enum(NOTIFICATION_CHANNELS).meta({ id: "NotificationChannel" });
export type NotificationChannel = z.infer<typeof NotificationChannelSchema>;

/** Knock's message states: `not_sent` is a message the recipient's preferences (or a missing address) stopped. */
export const NOTIFICATION_STATUSES = [
  "queued",
  "sent",
  "delivered",
  "bounced",
  "undelivered",
  "not_sent",
] as const;
export const NotificationStatusSchema = z.enum(NOTIFICATION_STATUSES).meta({ id: "NotificationStatus" });
export type NotificationStatus = z.infer<typeof NotificationStatusSchema>;

/** Workflow keys: lower-case words joined by `.`, `_` or `-` (`project.assigned`). */
export const NotificationWorkflowKeySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+([._-][a-z0-9]+)*$/, "lower-case letters and digits joined by '.', '_' or '-'")
  .meta({ example: "project.assigned" });

/** BCP 47 language tag as templates are stored (`en`, `de`, `de-AT`, `pt-BR`). */
export const NotificationLocaleSchema = z
  .string()
  .min(2)
  .max(35)
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, "a language tag such as en, de or pt-BR")
  .meta({ example: "de-AT" });

/**
 * One entry of `to`: a user of the company (member or installer), every member with a role, or a raw
 * email address or phone number (these get only the email or SMS channel).
 */
export const NotificationRecipientSchema = z
  .union([
    z.strictObject({ user_id: z.string().min(1).max(64) }),
    z.strictObject({ email: z.email().max(254) }),
    z.strictObject({
      phone: z.string().regex(/^\+[1-9]\d{6,14}$/, "an E.164 phone number such as +4930123456"),
    }),
    z.strictObject({ role: z.string().min(1).max(32) }),
  ])
  .meta({ id: "NotificationRecipient" });
export type NotificationRecipient = z.infer<typeof NotificationRecipientSchema>;

export const MAX_NOTIFICATION_RECIPIENTS = 100;

export const TriggerNotificationRequestSchema = z
  .strictObject({
    workflow: NotificationWorkflowKeySchema,
    to: z.array(NotificationRecipientSchema).min(1).max(MAX_NOTIFICATION_RECIPIENTS),
    /** The template variables (`{{ payload.project.name }}` in a template; at most 32 KB as JSON). */
    payload: z.record(z.string(), z.unknown()).default({}),
  })
  .meta({ id: "TriggerNotificationRequest" });
export type TriggerNotificationRequest = z.input<typeof TriggerNotificationRequestSchema>;

export const NotificationMessageSummarySchema = z
  .object({
    id: z.string(),
    recipient_key: z.string().meta({ example: "user:0193…" }),
    channel: NotificationChannelSchema,
    status: NotificationStatusSchema,
    status_reason: z.string().nullable(),
  })
  .meta({ id: "NotificationMessageSummary" });

export const TriggerNotificationResponseSchema = z
  .object({
    success: z.literal(true),
    /** true when this Idempotency-Key was seen before: the messages are the first request's (same ids). */
    duplicate: z.boolean(),
    messages: z.array(NotificationMessageSummarySchema),
  })
  .meta({ id: "TriggerNotificationResponse" });
export type TriggerNotificationResponse = z.infer<typeof TriggerNotificationResponseSchema>;

export const NotificationMessageSchema = z
  .object({
    id: z.string(),
    workflow: z.string(),
    category: z.string(),
    critical: z.boolean(),
    recipient_key: z.string(),
    channel: NotificationChannelSchema,
    /** Email address or phone number; null for push and in-app. */
    address: z.string().nullable(),
    locale: z.string(),
    subject: z.string().nullable(),
    body: z.string(),
    status: NotificationStatusSchema,
    status_reason: z.string().nullable(),
    provider: z.string().nullable(),
    provider_message_id: z.string().nullable(),
    attempts: z.number().int(),
    /** Held until then (quiet hours, digest window). */
    scheduled_for: IsoDateSchema.nullable(),
    digest_key: z.string().nullable(),
    idempotency_key: z.string().nullable(),
    triggered_by: z.string().nullable(),
    created_at: IsoDateSchema,
    updated_at: IsoDateSchema,
    sent_at: IsoDateSchema.nullable(),
    delivered_at: IsoDateSchema.nullable(),
    read_at: IsoDateSchema.nullable(),
  })
  .meta({ id: "NotificationMessage" });
export type NotificationMessage = z.infer<typeof NotificationMessageSchema>;

export const NotificationAttemptSchema = z
  .object({
    id: z.string(),
    attempt: z.number().int(),
    provider: z.string(),
    outcome: z.string().meta({ example: "failed" }),
    error: z.string().nullable(),
    http_status: z.number().int().nullable(),
    latency_ms: z.number().int().nullable(),
    retry_delay_seconds: z.number().int().nullable(),
    created_at: IsoDateSchema,
  })
  .meta({ id: "NotificationAttempt" });
export type NotificationAttempt = z.infer<typeof NotificationAttemptSchema>;

export const ListNotificationMessagesQuerySchema = z.object({
  status: NotificationStatusSchema.optional(),
  channel: NotificationChannelSchema.optional(),
  /** A recipient key (`user:<id>`, `email:<address>`, `phone:<E.164>`). */
  recipient: z.string().min(1).max(300).optional(),
  workflow: NotificationWorkflowKeySchema.optional(),
  /** Created at or after. */
  from: IsoDateSchema.optional(),
  /** Created before. */
  to: IsoDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListNotificationMessagesQuery = z.input<typeof ListNotificationMessagesQuerySchema>;

export const NotificationMessageListSchema = z
  .object({
    success: z.literal(true),
    messages: z.array(NotificationMessageSchema),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "NotificationMessageList" });
export type NotificationMessageList = z.infer<typeof NotificationMessageListSchema>;

export const NotificationMessageDetailSchema = z
  .object({
    success: z.literal(true),
    message: NotificationMessageSchema,
    /** Every provider call, oldest first (a failover shows one row per provider). */
    attempts: z.array(NotificationAttemptSchema),
  })
  .meta({ id: "NotificationMessageDetail" });
export type NotificationMessageDetail = z.infer<typeof NotificationMessageDetailSchema>;
