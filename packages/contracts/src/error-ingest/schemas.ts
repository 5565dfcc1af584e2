// The Sentry ingest (POST /api/{project_id}/envelope/ and /store/): what the API puts on the errors
// queue after it verified the DSN, decoded and validated the envelope, and normalised its items.
import { z } from "zod";
import { ErrorEventDataSchema } from "../error-issues/schemas.ts";

export const SessionStatusSchema = z.enum(["ok", "exited", "crashed", "abnormal", "errored"]);

/** One session update (Sentry's `session` item); `init` is true on the session's first update. */
export const ErrorSessionUpdateSchema = z.object({
  sid: z.string().max(64),
  /** The distinct id of the user or device, when the SDK sends one. */
  did: z.string().max(256).nullish(),
  init: z.boolean(),
  started: z.string(),
  timestamp: z.string(),
  status: SessionStatusSchema,
  errors: z.number().int().min(0),
  release: z.string().max(200),
  environment: z.string().max(64).nullish(),
});
export type ErrorSessionUpdate = z.infer<typeof ErrorSessionUpdateSchema>;

/** Pre-aggregated sessions (Sentry's `sessions` item, sent by server-mode SDKs). */
export const ErrorSessionAggregatesSchema = z.object({
  release: z.string().max(200),
  environment: z.string().max(64).nullish(),
  aggregates: z
    .array(
      z.object({
        started: z.string(),
        did: z.string().max(256).nullish(),
        exited: z.number().int().min(0).default(0),
        errored: z.number().int().min(0).default(0),
        abnormal: z.number().int().min(0).default(0),
        crashed: z.number().int().min(0).default(0),
      }),
    )
    .max(1000),
});
export type ErrorSessionAggregates = z.infer<typeof ErrorSessionAggregatesSchema>;

export const ErrorQueueItemSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("event"), event: ErrorEventDataSchema }),
  z.object({ type: z.literal("session"), session: ErrorSessionUpdateSchema }),
  z.object({ type: z.literal("sessions"), sessions: ErrorSessionAggregatesSchema }),
]);
export type ErrorQueueItem = z.infer<typeof ErrorQueueItemSchema>;

/** One message on `nexus-errors`: the items of one envelope (or store request) of one project. */
export const ErrorsQueueMessageSchema = z.object({
  company_id: z.string(),
  project_id: z.number().int().positive(),
  /** The project's app: only `desktop` sessions count toward the releases' health. */
  app: z.enum(["desktop", "mobile", "other"]),
  received_at: z.number().int(),
  /** The raw request body, gzipped in the ERRORS bucket; null when it was not kept. */
  raw_key: z.string().nullable(),
  items: z.array(ErrorQueueItemSchema).min(1).max(100),
});
export type ErrorsQueueMessage = z.infer<typeof ErrorsQueueMessageSchema>;

// ---- the ingest routes (the Sentry SDKs' side) --------------------------------------------------

/** Sentry's project id, the number at the end of the DSN: digits only. */
export const ErrorIngestParamsSchema = z.object({
  projectId: z
    .string()
    .regex(/^[0-9]{1,15}$/, "must be the project id of the DSN (digits only)")
    .meta({ description: "The number at the end of the DSN" }),
});

/** Where SDKs that cannot set headers (browsers' beacons, some transports) put the DSN's key. */
export const ErrorIngestQuerySchema = z.object({
  sentry_key: z.string().max(64).optional().meta({ description: "The DSN's public key" }),
  sentry_version: z.string().max(16).optional(),
  sentry_client: z.string().max(256).optional(),
});

/** Sentry's answer: the id of the envelope's event, none when it held no event. */
export const ErrorIngestResponseSchema = z
  .object({
    id: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .optional(),
  })
  .meta({ id: "ErrorIngestResponse" });
export type ErrorIngestResponse = z.infer<typeof ErrorIngestResponseSchema>;

/**
 * The ingest's size limits, after Sentry's (Relay's defaults): an envelope as sent up to 20 MiB
 * and 50 MiB once decompressed (attachments travel in it and are dropped here); an event item, or
 * a store request's event, up to 1 MiB decompressed; at most 100 events and session updates per
 * envelope (one queue message holds them all).
 */
export const ERROR_INGEST_LIMITS = {
  maxEnvelopeBytes: 20 * 1024 * 1024,
  maxDecodedEnvelopeBytes: 50 * 1024 * 1024,
  maxEventBytes: 1024 * 1024,
  maxStoreBytes: 1024 * 1024,
  maxQueueItems: 100,
} as const;
