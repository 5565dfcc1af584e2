// App error tracking: the events the apps' Sentry SDKs send, as Nexus Central stores them after the
// ingest normalised them (this shape travels on the errors queue and is kept in error_events.data),
// and the issues they are grouped into.
import { z } from "zod";

export const ErrorLevelSchema = z.enum(["fatal", "error", "warning", "info", "debug"]);
export type ErrorLevel = z.infer<typeof ErrorLevelSchema>;

/** unresolved → resolved (optionally in a release) or ignored; a regression makes it unresolved. */
export const ErrorIssueStatusSchema = z.enum(["unresolved", "resolved", "ignored"]);
export type ErrorIssueStatus = z.infer<typeof ErrorIssueStatusSchema>;

const Text = (max: number) => z.string().max(max);

/** One stack frame, innermost last (Sentry's order). Symbolication fills the original position. */
export const ErrorStackFrameSchema = z
  .object({
    function: Text(512).nullish(),
    module: Text(512).nullish(),
    filename: Text(1024).nullish(),
    abs_path: Text(2048).nullish(),
    lineno: z.number().int().nullish(),
    colno: z.number().int().nullish(),
    in_app: z.boolean().nullish(),
    context_line: Text(1024).nullish(),
    pre_context: z.array(Text(1024)).max(10).nullish(),
    post_context: z.array(Text(1024)).max(10).nullish(),
    /** Set when a source map resolved this frame: where it was before (the minified position). */
    minified: z
      .object({
        abs_path: Text(2048).nullish(),
        lineno: z.number().int().nullish(),
        colno: z.number().int().nullish(),
      })
      .nullish(),
  })
  .meta({ id: "ErrorStackFrame" });
export type ErrorStackFrame = z.infer<typeof ErrorStackFrameSchema>;

/** One exception of a chain (Sentry's `exception.values`: the outermost last). */
export const ErrorExceptionSchema = z
  .object({
    type: Text(256).nullish(),
    value: Text(8192).nullish(),
    module: Text(512).nullish(),
    mechanism: z.object({ type: Text(128).nullish(), handled: z.boolean().nullish() }).nullish(),
    frames: z.array(ErrorStackFrameSchema).max(250),
  })
  .meta({ id: "ErrorException" });
export type ErrorException = z.infer<typeof ErrorExceptionSchema>;

export const ErrorBreadcrumbSchema = z
  .object({
    timestamp: z.number().nullish(),
    type: Text(64).nullish(),
    category: Text(256).nullish(),
    message: Text(8192).nullish(),
    level: Text(32).nullish(),
    data: z.record(z.string(), z.unknown()).nullish(),
  })
  .meta({ id: "ErrorBreadcrumb" });
export type ErrorBreadcrumb = z.infer<typeof ErrorBreadcrumbSchema>;

export const ErrorUserSchema = z
  .object({
    id: Text(256).nullish(),
    email: Text(256).nullish(),
    username: Text(256).nullish(),
    ip_address: Text(64).nullish(),
  })
  .meta({ id: "ErrorUser" });

/** An event as stored: Sentry's fields the product shows, trimmed to bounded sizes. */
export const ErrorEventDataSchema = z
  .object({
    event_id: z.string().regex(/^[0-9a-f]{32}$/),
    /** When it happened, by the app's clock (ISO). */
    timestamp: z.string(),
    platform: Text(64),
    level: ErrorLevelSchema,
    logger: Text(256).nullish(),
    transaction: Text(512).nullish(),
    server_name: Text(256).nullish(),
    release: Text(200).nullish(),
    dist: Text(64).nullish(),
    environment: Text(64).nullish(),
    /** The message (formatted), for message events and as extra text on exceptions. */
    message: Text(8192).nullish(),
    exceptions: z.array(ErrorExceptionSchema).max(10),
    breadcrumbs: z.array(ErrorBreadcrumbSchema).max(100),
    tags: z.record(Text(200), Text(200)),
    user: ErrorUserSchema.nullish(),
    contexts: z.record(z.string(), z.unknown()).nullish(),
    sdk: z.object({ name: Text(128), version: Text(64) }).nullish(),
    /** A client-sent fingerprint ("{{ default }}" stands for the default grouping). */
    fingerprint: z.array(Text(256)).max(20).nullish(),
    extra: z.record(z.string(), z.unknown()).nullish(),
  })
  .meta({ id: "ErrorEventData" });
export type ErrorEventData = z.infer<typeof ErrorEventDataSchema>;

// ---- the company API's views -----------------------------------------------------------------------

/** An issue as listed: the events of one fingerprint in one project, with their counts. */
export const ErrorIssueSchema = z
  .object({
    id: z.string(),
    project_id: z.number().int(),
    title: z.string(),
    culprit: z
      .string()
      .nullable()
      .meta({ description: "Where it happened: the top in-app frame, or the logger" }),
    type: z.string().nullable().meta({ description: "The exception type; null for a message event" }),
    level: ErrorLevelSchema,
    platform: z.string(),
    status: ErrorIssueStatusSchema,
    resolved_in_release: z.string().nullable(),
    resolved_at: z.iso.datetime().nullable(),
    regressed_at: z.iso.datetime().nullable(),
    first_seen: z.iso.datetime(),
    last_seen: z.iso.datetime(),
    times_seen: z.number().int(),
    users_seen: z.number().int(),
    first_release: z.string().nullable(),
    last_release: z.string().nullable(),
  })
  .meta({ id: "ErrorIssue" });
export type ErrorIssue = z.infer<typeof ErrorIssueSchema>;

export const ErrorIssueSortSchema = z.enum(["last_seen", "first_seen", "times_seen", "users_seen"]);
export type ErrorIssueSort = z.infer<typeof ErrorIssueSortSchema>;

const Filter = (max: number) => z.string().trim().min(1).max(max).optional();

export const ErrorIssueListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional().meta({ description: "`next_cursor` of the previous page" }),
  status: ErrorIssueStatusSchema.optional().meta({ description: "Default: every status" }),
  project_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  release: Filter(200).meta({ description: "Issues that occurred in this release" }),
  platform: Filter(64),
  environment: Filter(64).meta({ description: "Issues with a stored event from this environment" }),
  sort: ErrorIssueSortSchema.default("last_seen").meta({ description: "Largest (newest) first" }),
});
export type ErrorIssueListQuery = z.input<typeof ErrorIssueListQuerySchema>;

export const ErrorIssueListSchema = z
  .object({ success: z.literal(true), issues: z.array(ErrorIssueSchema), next_cursor: z.string().nullable() })
  .meta({ id: "ErrorIssueList" });

/** One stored event: the fields it is searched by, and the normalised, symbolicated event. */
export const ErrorEventSchema = z
  .object({
    event_id: z.string(),
    issue_id: z.string(),
    project_id: z.number().int(),
    received_at: z.iso.datetime(),
    occurred_at: z.iso.datetime(),
    level: ErrorLevelSchema,
    release: z.string().nullable(),
    environment: z.string().nullable(),
    platform: z.string(),
    data: ErrorEventDataSchema,
  })
  .meta({ id: "ErrorEvent" });
export type ErrorEvent = z.infer<typeof ErrorEventSchema>;

export const ErrorEventListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().meta({ description: "`next_cursor` of the previous page" }),
});
export const ErrorEventListSchema = z
  .object({ success: z.literal(true), events: z.array(ErrorEventSchema), next_cursor: z.string().nullable() })
  .meta({ id: "ErrorEventList" });

export const ErrorIssueReleaseSchema = z
  .object({
    release: z.string(),
    first_seen: z.iso.datetime(),
    last_seen: z.iso.datetime(),
    times_seen: z.number().int(),
  })
  .meta({ id: "ErrorIssueRelease" });

const OccurrenceBucketSchema = z.object({
  start: z.iso.datetime().meta({ description: "The bucket's start (UTC)" }),
  count: z.number().int(),
});

export const ErrorTagSummarySchema = z
  .object({
    key: z.string(),
    total: z.number().int().meta({ description: "Events of the sample carrying this tag" }),
    values: z
      .array(z.object({ value: z.string(), count: z.number().int() }))
      .meta({ description: "The most frequent values, most frequent first (up to 10)" }),
  })
  .meta({ id: "ErrorTagSummary" });

export const ErrorIssueDetailSchema = z
  .object({
    success: z.literal(true),
    issue: ErrorIssueSchema,
    latest_event: ErrorEventSchema.nullable().meta({
      description: "The newest stored event (null once retention removed every event)",
    }),
    releases: z.array(ErrorIssueReleaseSchema).meta({ description: "Most recently seen first" }),
    occurrences: z
      .object({
        hourly: z
          .array(OccurrenceBucketSchema)
          .meta({ description: "The last 14 days by UTC hour, oldest first" }),
        daily: z
          .array(OccurrenceBucketSchema)
          .meta({ description: "The last 14 days by UTC day, oldest first" }),
      })
      .meta({ description: "Every bucket is listed, empty ones with count 0" }),
    tags: z.array(ErrorTagSummarySchema).meta({
      description:
        "Tag values of the issue's recent events (`release`, `environment` and `level` included), most common keys first",
    }),
    tags_sample_size: z.number().int().meta({ description: "How many recent events the tag counts cover" }),
  })
  .meta({ id: "ErrorIssueDetail" });
export type ErrorIssueDetail = z.infer<typeof ErrorIssueDetailSchema>;

export const UpdateErrorIssueRequestSchema = z
  .object({
    status: ErrorIssueStatusSchema,
    resolved_in_release: z.string().trim().min(1).max(200).nullish().meta({
      description:
        "With `resolved`: an event from this release or a later one reopens the issue; without it, any new event does",
    }),
  })
  .refine(
    (value) => value.status === "resolved" || value.resolved_in_release == null,
    "resolved_in_release goes only with status resolved",
  )
  .meta({ id: "UpdateErrorIssueRequest" });
export type UpdateErrorIssueRequest = z.input<typeof UpdateErrorIssueRequestSchema>;

export const ErrorIssueResponseSchema = z.object({ success: z.literal(true), issue: ErrorIssueSchema });
