// Telemetry ingest, roll-up queries and app usage (seed 002's telemetry of the machines in machines/,
// seeds 000/004's usage analytics). Samples travel HTTP -> `telemetry` queue -> workers/consumers,
// which rolls them up per machine and metric into the company's own tenant database.
import { z } from "zod";
import { MachineSchema, MachineStatusSchema, MetricNameSchema } from "../machines/schemas.ts";
import { AppVersionSchema, IsoDateSchema } from "../shared/common.ts";

export const TELEMETRY_LIMITS = {
  /** Samples per request. */
  maxSamples: 5000,
  /** App usage events per request. */
  maxUsageEvents: 500,
  /** Request body, bytes. */
  maxBodyBytes: 1024 * 1024,
  /** Oldest accepted sample: a week back (a device offline for days still delivers). */
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  /** Newest accepted sample: device clocks run a little fast. */
  maxFutureMs: 5 * 60 * 1000,
  /** Rejections listed one by one in a response (the count covers all). */
  maxListedRejections: 100,
  /** Points in one series answer. */
  maxSeriesPoints: 5000,
} as const;

const TimestampSchema = z
  .union([z.number().int().nonnegative(), IsoDateSchema])
  .meta({ description: "Milliseconds since the epoch, or an ISO 8601 time" });

// ---- ingest ----------------------------------------------------------------------------------

export const TelemetrySampleSchema = z
  .object({
    machine_id: z.string().min(1).max(64),
    metric: MetricNameSchema,
    value: z.number().refine(Number.isFinite, "a finite number"),
    ts: TimestampSchema,
  })
  .strict()
  .meta({ id: "TelemetrySample" });
export type TelemetrySample = z.infer<typeof TelemetrySampleSchema>;

export const USAGE_EVENTS = ["app.started", "feature.used", "update.downloaded", "update.installed"] as const;
export const UsageEventSchema = z
  .object({
    event: z.enum(USAGE_EVENTS),
    /** Which feature, for `feature.used`. */
    name: MetricNameSchema.optional(),
    app_version: AppVersionSchema,
    ts: TimestampSchema,
  })
  .strict()
  .meta({ id: "UsageEvent" });
export type UsageEvent = z.infer<typeof UsageEventSchema>;

/**
 * The envelope is checked as a whole; samples and events one by one, so one bad sample costs only
 * itself (it is listed in `rejected` and the rest are accepted).
 */
export const TelemetryBatchRequestSchema = z
  .object({
    batch_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, "8–64 letters, digits, `-` or `_` (a UUID works)")
      .meta({ description: "Chosen by the sender; a batch id is counted once, so resend freely" }),
    samples: z
      .array(z.unknown())
      .max(TELEMETRY_LIMITS.maxSamples)
      .default([])
      .meta({ description: "TelemetrySample objects" }),
    usage: z
      .array(z.unknown())
      .max(TELEMETRY_LIMITS.maxUsageEvents)
      .default([])
      .meta({ description: "UsageEvent objects" }),
  })
  .strict()
  .refine((batch) => batch.samples.length + batch.usage.length > 0, "send at least one sample or event")
  .meta({ id: "TelemetryBatchRequest" });
export type TelemetryBatchRequest = z.input<typeof TelemetryBatchRequestSchema>;

export const TELEMETRY_REJECTION_CODES = [
  "INVALID_SAMPLE",
  "NON_FINITE_VALUE",
  "INVALID_METRIC",
  "TIMESTAMP_OUT_OF_WINDOW",
  "UNKNOWN_MACHINE",
  "INVALID_EVENT",
] as const;
export const TelemetryRejectionSchema = z.object({
  kind: z.enum(["sample", "usage"]),
  index: z.number().int().meta({ description: "Position in the request's `samples` or `usage`" }),
  code: z.enum(TELEMETRY_REJECTION_CODES),
  message: z.string(),
});
export type TelemetryRejection = z.infer<typeof TelemetryRejectionSchema>;

export const TelemetryIngestResponseSchema = z
  .object({
    success: z.literal(true),
    batch_id: z.string(),
    accepted: z.object({ samples: z.number().int(), usage: z.number().int() }),
    rejected_count: z.number().int(),
    rejected: z
      .array(TelemetryRejectionSchema)
      .meta({ description: "The first rejections; resending rejected items does not help" }),
  })
  .meta({ id: "TelemetryIngestResponse" });
export type TelemetryIngestResponse = z.infer<typeof TelemetryIngestResponseSchema>;

// ---- the telemetry queue (API -> workers/consumers) -------------------------------------------

/** Cloudflare Queues: a message is at most 128 KB; leave room for the envelope. */
export const QUEUE_MESSAGE_MAX_BYTES = 120_000;
/** Cloudflare Queues: `sendBatch` takes at most 100 messages and 256 KB. */
export const QUEUE_SEND_BATCH_MAX_MESSAGES = 100;
export const QUEUE_SEND_BATCH_MAX_BYTES = 250_000;

export const QueuedSampleSchema = z.object({
  machine_id: z.string(),
  metric: z.string(),
  value: z.number(),
  ts: z.number().int(),
});
export const QueuedUsageSchema = z.object({
  event: z.enum(USAGE_EVENTS),
  name: z.string().nullable(),
  app_version: z.string(),
  ts: z.number().int(),
});
export const TelemetryQueueMessageSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("samples"),
    company_id: z.string(),
    /** Idempotency key: sender, batch id and chunk; the consumer applies each key once. */
    key: z.string(),
    installation_id: z.string().nullable(),
    samples: z.array(QueuedSampleSchema),
    usage: z.array(QueuedUsageSchema),
  }),
  z.object({
    /** From the CompanyHub's heartbeat flush: which version each installation ran that day. */
    kind: z.literal("versions"),
    company_id: z.string(),
    day: z.string(),
    seen: z.array(z.object({ installation_id: z.string(), app_version: z.string() })),
  }),
]);
export type TelemetryQueueMessage = z.infer<typeof TelemetryQueueMessageSchema>;

// ---- queries ---------------------------------------------------------------------------------

export const RESOLUTIONS = ["minute", "hour", "day"] as const;
export const ResolutionSchema = z.enum(RESOLUTIONS);
export type Resolution = z.infer<typeof ResolutionSchema>;
/** Each roll-up's bucket length; a bucket starts at a multiple of it (UTC). */
export const RESOLUTION_MS: Record<Resolution, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** One roll-up bucket of one machine's metric, as stored (`last_ts`: the sample time of `last`). */
export interface RollupBucket {
  bucket: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  last: number;
}

export const TelemetrySeriesQuerySchema = z.object({
  metric: MetricNameSchema,
  from: IsoDateSchema.optional().meta({ description: "Default: `to` minus a day" }),
  to: IsoDateSchema.optional().meta({ description: "Default: now" }),
  resolution: ResolutionSchema.default("minute"),
});
export const SeriesPointSchema = z.object({
  ts: IsoDateSchema.meta({ description: "Start of the bucket" }),
  count: z.number().int(),
  sum: z.number(),
  avg: z.number(),
  min: z.number(),
  max: z.number(),
  last: z.number(),
});
export const TelemetrySeriesSchema = z
  .object({
    success: z.literal(true),
    machine_id: z.string(),
    metric: z.string(),
    resolution: ResolutionSchema,
    from: IsoDateSchema,
    to: IsoDateSchema,
    points: z.array(SeriesPointSchema),
  })
  .meta({ id: "TelemetrySeries" });

export const FleetSummarySchema = z
  .object({
    success: z.literal(true),
    total: z.number().int(),
    by_status: z.record(MachineStatusSchema, z.number().int()),
    average_health: z.number().nullable(),
    machines: z
      .array(MachineSchema)
      .meta({ description: "Worst health first; machines never heard from last" }),
  })
  .meta({ id: "FleetSummary" });

export const AdoptionQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30),
});
export const AdoptionSchema = z
  .object({
    success: z.literal(true),
    current: z
      .array(z.object({ app_version: z.string().nullable(), installations: z.number().int() }))
      .meta({ description: "Active installations by the version they last reported" }),
    daily: z
      .array(
        z.object({
          day: z.string(),
          versions: z.record(z.string(), z.number().int()),
        }),
      )
      .meta({ description: "Per UTC day: installations seen on each version (heartbeats and usage events)" }),
    events: z
      .array(
        z.object({
          day: z.string(),
          event: z.enum(USAGE_EVENTS),
          name: z.string().nullable(),
          app_version: z.string(),
          count: z.number().int(),
        }),
      )
      .meta({ description: "App usage events per UTC day" }),
  })
  .meta({ id: "Adoption" });
