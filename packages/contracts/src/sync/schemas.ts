// The mobile app's sync protocol over the company's tenant database (issue 11). Push sends an
// ordered batch of named mutations with per-device, strictly increasing ids; pull returns changes
// since a server-assigned cursor, scoped to what the user may see. See the README's "Mobile sync".
import { z } from "zod";
import { DocumentSchema } from "../documents/schemas.ts";
import { ActivitySchema, ProjectSchema } from "../projects/schemas.ts";

/** The data shapes this server speaks; an app older than the minimum must upgrade. */
export const SYNC_SCHEMA_VERSION = 1;
export const MIN_SYNC_SCHEMA_VERSION = 1;
export const SYNC_LIMITS = {
  maxMutationsPerPush: 100,
  defaultPullLimit: 500,
  maxPullLimit: 1000,
} as const;

const DeviceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "8–64 letters, digits, _ or -")
  .meta({ description: "Generated once per app install" });
const ClientIdSchema = z.uuid().meta({ description: "Generated on the device; makes the create idempotent" });

const GpsSchema = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  accuracy_m: z.number().min(0).max(100_000).optional(),
});

/** Mutations by name, with their arguments. */
export const syncMutations = {
  "job.setStage": z.object({ job_id: z.string().min(1).max(64), stage: z.string().min(1).max(48) }),
  "job.setStatus": z.object({
    job_id: z.string().min(1).max(64),
    status: z.enum(["active", "on_hold", "completed", "cancelled"]),
  }),
  "job.updateFields": z.object({
    job_id: z.string().min(1).max(64),
    fields: z
      .object({
        title: z.string().trim().min(1).max(200),
        expected_completion: z.iso.date().nullable(),
        checklist: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,47}$/), z.boolean()),
      })
      .partial(),
  }),
  "checkin.create": z.object({
    id: ClientIdSchema,
    job_id: z.string().min(1).max(64),
    gps: GpsSchema,
    note: z.string().max(10_000).optional(),
    occurred_at: z.iso.datetime().optional(),
  }),
  "note.create": z.object({
    id: ClientIdSchema,
    job_id: z.string().min(1).max(64),
    body: z.string().trim().min(1).max(10_000),
    occurred_at: z.iso.datetime().optional(),
  }),
  "photo.register": z.object({
    id: ClientIdSchema,
    job_id: z.string().min(1).max(64),
    name: z.string().trim().min(1).max(255),
    size: z.number().int().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    tags: z.array(z.string().max(50)).max(20).default([]),
  }),
} as const;
export type SyncMutationName = keyof typeof syncMutations;
export const SYNC_MUTATION_NAMES = Object.keys(syncMutations) as [SyncMutationName, ...SyncMutationName[]];

export const SyncMutationSchema = z.object({
  id: z.number().int().min(1).meta({ description: "Per device, strictly increasing by 1" }),
  name: z.enum(SYNC_MUTATION_NAMES),
  args: z.record(z.string(), z.unknown()),
  client_time: z.iso
    .datetime()
    .optional()
    .meta({ description: "Informational only: never used for ordering" }),
});
export type SyncMutation = z.infer<typeof SyncMutationSchema>;

export const SyncPushRequestSchema = z
  .object({
    company_id: z.string().min(1).max(64),
    device_id: DeviceIdSchema,
    schema_version: z.number().int().min(0),
    mutations: z
      .array(SyncMutationSchema)
      .min(1)
      .max(SYNC_LIMITS.maxMutationsPerPush)
      .refine(
        (mutations) => mutations.every((m, i) => i === 0 || m.id === (mutations[i - 1]?.id ?? 0) + 1),
        "mutation ids must increase by 1 within a push",
      ),
  })
  .meta({ id: "SyncPushRequest" });

export const SyncRejectionSchema = z.object({
  mutation_id: z.number().int(),
  code: z.string(),
  message: z.string(),
});

export const SyncPushResponseSchema = z
  .object({
    success: z.literal(true),
    last_mutation_id: z.number().int().meta({ description: "Everything up to here is applied or rejected" }),
    rejected: z
      .array(SyncRejectionSchema)
      .meta({ description: "Mutations of this push refused by a business rule" }),
  })
  .meta({ id: "SyncPushResponse" });

export const SyncPullRequestSchema = z
  .object({
    company_id: z.string().min(1).max(64),
    device_id: DeviceIdSchema,
    schema_version: z.number().int().min(0),
    cursor: z.string().max(500).nullable().meta({ description: "null for a first sync (or after a reset)" }),
    limit: z.number().int().min(1).max(SYNC_LIMITS.maxPullLimit).default(SYNC_LIMITS.defaultPullLimit),
  })
  .meta({ id: "SyncPullRequest" });

export const SyncChangeSchema = z.discriminatedUnion("op", [
  z.object({
    op: z.literal("put"),
    entity: z.enum(["job", "activity", "document"]),
    id: z.string(),
    data: z.union([ProjectSchema, ActivitySchema, DocumentSchema]),
  }),
  z.object({ op: z.literal("delete"), entity: z.enum(["job", "activity", "document"]), id: z.string() }),
]);
export type SyncChange = z.infer<typeof SyncChangeSchema>;

export const SyncPullResponseSchema = z
  .object({
    success: z.literal(true),
    reset: z.boolean().meta({ description: "true: drop local data and apply these changes as a first sync" }),
    changes: z.array(SyncChangeSchema),
    cursor: z.string(),
    has_more: z.boolean().meta({ description: "Pull again with the new cursor right away" }),
    last_mutation_id: z
      .number()
      .int()
      .meta({ description: "The last mutation the server applied for this device" }),
  })
  .meta({ id: "SyncPullResponse" });
