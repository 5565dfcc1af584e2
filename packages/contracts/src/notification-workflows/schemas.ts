// Notification workflows: what a trigger sends — its category (for preferences), whether it is
// critical, its channels and digest window. Built-ins always exist; a company adds its own or overrides them.
import { z } from "zod";
import { NotificationChannelSchema, NotificationWorkflowKeySchema } from "../notifications/schemas.ts";
import { IsoDateSchema } from "../shared/common.ts";

/** Preference categories group workflows (a user opts out of "marketing" email, not of one workflow). */
export const NotificationWorkflowCategorySchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9]+([_-][a-z0-9]+)*$/, "lower-case letters and digits joined by '_' or '-'")
  .meta({ example: "projects" });

const Channels = z.array(NotificationChannelSchema).min(1).max(4);
/** Batch a recipient's messages of this workflow over this many minutes into one digest (null: none). */
const DigestMinutes = z.number().int().min(1).max(10_080).nullable();

export const NotificationWorkflowSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    category: z.string(),
    /** Delivered through opt-outs and quiet hours. */
    critical: z.boolean(),
    channels: z.array(NotificationChannelSchema),
    digest_minutes: z.number().int().nullable(),
    /** One of the platform's workflows (it cannot be deleted, only overridden). */
    built_in: z.boolean(),
    /** A built-in the company changed (false for the company's own workflows). */
    overridden: z.boolean(),
    created_at: IsoDateSchema.nullable(),
    updated_at: IsoDateSchema.nullable(),
  })
  .meta({ id: "NotificationWorkflow" });
export type NotificationWorkflow = z.infer<typeof NotificationWorkflowSchema>;

export const CreateNotificationWorkflowRequestSchema = z
  .strictObject({
    key: NotificationWorkflowKeySchema,
    name: z.string().trim().min(1).max(120),
    category: NotificationWorkflowCategorySchema,
    critical: z.boolean().default(false),
    channels: Channels,
    digest_minutes: DigestMinutes.default(null),
  })
  .meta({ id: "CreateNotificationWorkflowRequest" });
export type CreateNotificationWorkflowRequest = z.input<typeof CreateNotificationWorkflowRequestSchema>;

export const UpdateNotificationWorkflowRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(120).optional(),
    category: NotificationWorkflowCategorySchema.optional(),
    critical: z.boolean().optional(),
    channels: Channels.optional(),
    digest_minutes: DigestMinutes.optional(),
  })
  .meta({ id: "UpdateNotificationWorkflowRequest" });
export type UpdateNotificationWorkflowRequest = z.input<typeof UpdateNotificationWorkflowRequestSchema>;

export const NotificationWorkflowResponseSchema = z
  .object({ success: z.literal(true), workflow: NotificationWorkflowSchema })
  .meta({ id: "NotificationWorkflowResponse" });

export const NotificationWorkflowListSchema = z
  .object({ success: z.literal(true), workflows: z.array(NotificationWorkflowSchema) })
  .meta({ id: "NotificationWorkflowList" });
export type NotificationWorkflowList = z.infer<typeof NotificationWorkflowListSchema>;

export const DeleteNotificationWorkflowResponseSchema = z
  .object({ success: z.literal(true), key: z.string(), deleted_templates: z.number().int() })
  .meta({ id: "DeleteNotificationWorkflowResponse" });
