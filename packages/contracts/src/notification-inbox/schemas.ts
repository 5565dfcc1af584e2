// The caller's in-app inbox: their `in_app` notification messages, newest first, with read and
// archived state (the dashboard's bell). New items also arrive live on the company socket as
// `{ type: "notification.new", notification: InboxItem }`.
import { z } from "zod";
import { IsoDateSchema } from "../shared/common.ts";

export const InboxItemSchema = z
  .object({
    id: z.string(),
    workflow: z.string(),
    category: z.string(),
    subject: z.string().nullable(),
    body: z.string(),
    /** The trigger's payload (links and ids the app may act on). */
    data: z.record(z.string(), z.unknown()),
    created_at: IsoDateSchema,
    read_at: IsoDateSchema.nullable(),
    archived_at: IsoDateSchema.nullable(),
  })
  .meta({ id: "InboxItem" });
export type InboxItem = z.infer<typeof InboxItemSchema>;

/** `inbox`: everything not archived (default); `unread`: not read and not archived; `archived`. */
export const INBOX_FILTERS = ["inbox", "unread", "archived"] as const;

export const InboxQuerySchema = z.object({
  filter: z.enum(INBOX_FILTERS).default("inbox"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** `next_cursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});

export const InboxPageSchema = z
  .object({
    success: z.literal(true),
    items: z.array(InboxItemSchema),
    /** Unread and not archived, over the whole inbox (the bell's badge). */
    unread_count: z.number().int(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "InboxPage" });
export type InboxPage = z.infer<typeof InboxPageSchema>;

export const InboxItemResponseSchema = z
  .object({ success: z.literal(true), item: InboxItemSchema, unread_count: z.number().int() })
  .meta({ id: "InboxItemResponse" });

export const InboxReadAllResponseSchema = z
  .object({ success: z.literal(true), updated: z.number().int(), unread_count: z.number().int() })
  .meta({ id: "InboxReadAllResponse" });
