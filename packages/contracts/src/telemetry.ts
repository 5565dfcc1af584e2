// Machines, telemetry ingest, roll-up queries and app usage (seed 002's machines and telemetry,
// seeds 000/004's usage analytics). Samples travel HTTP -> `telemetry` queue -> workers/telemetry,
// which rolls them up per machine and metric into the company's own tenant database.
import { z } from "zod";
import { AppVersionSchema, IsoDateSchema } from "./common.ts";

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

/** Lower-case names such as `temperature` or `spindle.rpm`: they become roll-up keys. */
export const MetricNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_.]{0,63}$/, "lower-case letters, digits, `_` and `.`, starting with a letter")
  .meta({ example: "temperature" });

const TimestampSchema = z
  .union([z.number().int().nonnegative(), IsoDateSchema])
  .meta({ description: "Milliseconds since the epoch, or an ISO 8601 time" });

// ---- machines --------------------------------------------------------------------------------

export const MACHINE_STATUSES = ["running", "idle", "maintenance", "fault", "offline"] as const;
export const MachineStatusSchema = z.enum(MACHINE_STATUSES);

/** Limits for one metric; a last value beyond them lowers the machine's health score. */
export const MetricThresholdSchema = z
  .object({
    warn_above: z.number().optional(),
    critical_above: z.number().optional(),
    warn_below: z.number().optional(),
    critical_below: z.number().optional(),
  })
  .strict();
export const MachineThresholdsSchema = z
  .record(MetricNameSchema, MetricThresholdSchema)
  .refine((thresholds) => Object.keys(thresholds).length <= 32, "at most 32 metrics")
  .meta({ example: { temperature: { warn_above: 80, critical_above: 95 } } });
export type MachineThresholds = z.infer<typeof MachineThresholdsSchema>;

const MetadataSchema = z
  .record(z.string(), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 8192, "at most 8 KiB of JSON")
  .meta({ description: "Free-form details, e.g. dimensions and specs" });

export const LastValueSchema = z.object({ value: z.number(), ts: IsoDateSchema });

export const MachineSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.string().nullable(),
    status: MachineStatusSchema,
    health_score: z
      .number()
      .nullable()
      .meta({ description: "0–100 from the last values against the thresholds; null before any sample" }),
    grid_x: z.number().int().nullable(),
    grid_y: z.number().int().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    thresholds: MachineThresholdsSchema,
    last_values: z.record(z.string(), LastValueSchema),
    last_sample_at: IsoDateSchema.nullable(),
    created_at: IsoDateSchema,
    updated_at: IsoDateSchema,
  })
  .meta({ id: "Machine" });
export type Machine = z.infer<typeof MachineSchema>;

const GridCoordinateSchema = z.number().int().min(0).max(10_000).nullable();
export const CreateMachineRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    type: z.string().trim().min(1).max(100).nullable().optional(),
    status: MachineStatusSchema.default("running"),
    grid_x: GridCoordinateSchema.optional(),
    grid_y: GridCoordinateSchema.optional(),
    metadata: MetadataSchema.default({}),
    thresholds: MachineThresholdsSchema.default({}),
  })
  .strict()
  .meta({ id: "CreateMachineRequest" });
export const UpdateMachineRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    type: z.string().trim().min(1).max(100).nullable().optional(),
    status: MachineStatusSchema.optional(),
    grid_x: GridCoordinateSchema.optional(),
    grid_y: GridCoordinateSchema.optional(),
    metadata: MetadataSchema.optional(),
    thresholds: MachineThresholdsSchema.optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, "send at least one field to change")
  .meta({ id: "UpdateMachineRequest" });
export const MachineResponseSchema = z.object({ success: z.literal(true), machine: MachineSchema });
export const MachineListQuerySchema = z.object({ status: MachineStatusSchema.optional() });
export const MachineListSchema = z.object({ success: z.literal(true), machines: z.array(MachineSchema) });
export const MachineParamsSchema = z.object({
  companyId: z.string().min(1).max(64),
  machineId: z.string().min(1).max(64),
});

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

// ---- the telemetry queue (API -> workers/telemetry) -------------------------------------------

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
