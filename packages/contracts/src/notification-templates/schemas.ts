// Notification templates: Liquid per workflow, channel and locale, versioned (each save is a new
// version; the newest is used). Lookup: exact locale → its language → en → the built-in default.
import { z } from "zod";
import {
  NotificationChannelSchema,
  NotificationLocaleSchema,
  NotificationWorkflowKeySchema,
} from "../notifications/schemas.ts";
import { IsoDateSchema } from "../shared/common.ts";

/** Upper bounds on a template's source (rendering is bounded separately). */
export const MAX_TEMPLATE_BODY_LENGTH = 20_000;
export const MAX_TEMPLATE_SUBJECT_LENGTH = 500;

export const NotificationTemplateSchema = z
  .object({
    /** null for a built-in default. */
    id: z.string().nullable(),
    workflow: z.string(),
    channel: NotificationChannelSchema,
    locale: z.string(),
    /** 0 for a built-in default; the company's versions count from 1. */
    version: z.number().int(),
    /** Email subject, push title, in-app title (null for SMS). */
    subject: z.string().nullable(),
    /** Liquid source. Email bodies are HTML, and values printed into them are HTML-escaped. */
    body: z.string(),
    source: z.enum(["company", "built_in"]),
    created_by: z.string().nullable(),
    created_at: IsoDateSchema.nullable(),
  })
  .meta({ id: "NotificationTemplate" });
export type NotificationTemplate = z.infer<typeof NotificationTemplateSchema>;

export const NotificationTemplateListSchema = z
  .object({
    success: z.literal(true),
    /** The company's versions, newest first per channel and locale. */
    templates: z.array(NotificationTemplateSchema),
    /** The built-in defaults of the workflow (empty for a company workflow). */
    defaults: z.array(NotificationTemplateSchema),
  })
  .meta({ id: "NotificationTemplateList" });
export type NotificationTemplateList = z.infer<typeof NotificationTemplateListSchema>;

export const SaveNotificationTemplateRequestSchema = z
  .strictObject({
    subject: z.string().max(MAX_TEMPLATE_SUBJECT_LENGTH).nullable().default(null),
    body: z.string().min(1).max(MAX_TEMPLATE_BODY_LENGTH),
  })
  .meta({ id: "SaveNotificationTemplateRequest" });
export type SaveNotificationTemplateRequest = z.input<typeof SaveNotificationTemplateRequestSchema>;

export const NotificationTemplateResponseSchema = z
  .object({ success: z.literal(true), template: NotificationTemplateSchema })
  .meta({ id: "NotificationTemplateResponse" });

/**
 * Renders with a sample payload: the given `body`/`subject` (unsaved editor text), or else the
 * template the workflow would use for this channel and locale.
 */
export const PreviewNotificationTemplateRequestSchema = z
  .strictObject({
    workflow: NotificationWorkflowKeySchema,
    channel: NotificationChannelSchema,
    locale: NotificationLocaleSchema.default("en"),
    subject: z.string().max(MAX_TEMPLATE_SUBJECT_LENGTH).nullable().optional(),
    body: z.string().min(1).max(MAX_TEMPLATE_BODY_LENGTH).optional(),
    payload: z.record(z.string(), z.unknown()).default({}),
  })
  .meta({ id: "PreviewNotificationTemplateRequest" });
export type PreviewNotificationTemplateRequest = z.input<typeof PreviewNotificationTemplateRequestSchema>;

export const NotificationTemplatePreviewSchema = z
  .object({
    success: z.literal(true),
    subject: z.string().nullable(),
    body: z.string(),
    /** Which template was rendered ("request": the text sent with the preview). */
    template: z.object({
      source: z.enum(["company", "built_in", "request"]),
      locale: z.string(),
      version: z.number().int().nullable(),
    }),
  })
  .meta({ id: "NotificationTemplatePreview" });
export type NotificationTemplatePreview = z.infer<typeof NotificationTemplatePreviewSchema>;
