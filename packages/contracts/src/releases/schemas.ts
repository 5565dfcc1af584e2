// Releases of the apps, their files (uploaded whole or in parts) and their staged rollout.
import { z } from "zod";
import { ChannelNameSchema } from "../channels/schemas.ts";
import { AppVersionSchema, IsoDateSchema, PaginationQuerySchema } from "../shared/common.ts";

/** The channel file a file is listed in: win = `{channel}.yml`, the others `{channel}-{platform}.yml`. */
export const UpdatePlatformSchema = z.enum(["win", "mac", "linux", "linux-arm64", "linux-armv7l"]);
export type UpdatePlatform = z.infer<typeof UpdatePlatformSchema>;

/** A file name as electron-builder writes it into a channel file: no paths, no `..`. */
export const ReleaseFileNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._+-]*$/,
    "a file name of letters, digits, dots, dashes, underscores and pluses (no paths or spaces)",
  )
  .refine((name) => !name.includes(".."), "a file name cannot contain `..`")
  .meta({ example: "Nexus-Setup-1.4.2.exe" });

/** sha512 as electron-builder writes it: base64 of the 64-byte digest. */
export const Sha512Schema = z
  .string()
  .regex(/^[A-Za-z0-9+/]{86}==$/, "base64 of a sha512 digest (88 characters), as in latest.yml")
  .meta({ example: "2A3N…==" });

export const ReleaseStatusSchema = z.enum(["draft", "published", "yanked"]);
export const RolloutStateSchema = z.enum(["active", "paused", "halted"]);

export const RolloutSchema = z
  .object({
    state: RolloutStateSchema,
    percent: z.number().min(0).max(100).meta({ description: "Starting percentage" }),
    ramp_hours: z.number().nullable().meta({ description: "Hours to ramp linearly to 100 %, if set" }),
    effective_percent: z.number().min(0).max(100).meta({ description: "Who receives it right now" }),
    started_at: IsoDateSchema.nullable(),
  })
  .meta({ id: "Rollout" });

export const ReleaseFileSchema = z
  .object({
    name: z.string(),
    platform: UpdatePlatformSchema,
    kind: z.enum(["artifact", "blockmap"]),
    size: z.number().int(),
    sha512: z.string(),
    block_map_size: z.number().int().nullable(),
    uploaded: z.boolean(),
  })
  .meta({ id: "ReleaseFile" });

export const ReleaseSchema = z
  .object({
    id: z.string(),
    channel: z.string(),
    version: z.string(),
    name: z.string().nullable(),
    notes: z.string().nullable(),
    release_date: IsoDateSchema.nullable(),
    minimum_version: z.string().nullable(),
    mandatory: z.boolean(),
    status: ReleaseStatusSchema,
    rollout: RolloutSchema,
    files: z.array(ReleaseFileSchema),
    published_at: IsoDateSchema.nullable(),
    yanked_at: IsoDateSchema.nullable(),
    yanked_reason: z.string().nullable(),
    health_halt_below: z.number().nullable().meta({
      description:
        "The rollout halts by itself when the version's crash-free sessions (percent) fall below this; null: never",
    }),
    health_min_sessions: z
      .number()
      .int()
      .meta({ description: "Sessions of the version needed before the automatic halt may trigger" }),
    halted_by_health_at: IsoDateSchema.nullable().meta({
      description: "When release health halted the rollout",
    }),
    created_at: IsoDateSchema,
  })
  .meta({ id: "Release" });
export type Release = z.infer<typeof ReleaseSchema>;

export const DeclaredFileSchema = z.object({
  name: ReleaseFileNameSchema,
  platform: UpdatePlatformSchema,
  kind: z.enum(["artifact", "blockmap"]).default("artifact"),
  size: z
    .number()
    .int()
    .min(1)
    .max(5 * 1024 ** 3),
  sha512: Sha512Schema,
  block_map_size: z.number().int().min(1).optional(),
});
export type DeclaredFile = z.input<typeof DeclaredFileSchema>;

const RolloutRequestFields = {
  percent: z.number().min(0).max(100),
  ramp_hours: z
    .number()
    .positive()
    .max(24 * 90)
    .nullable()
    .optional(),
};

export const CreateReleaseRequestSchema = z
  .object({
    channel: ChannelNameSchema,
    version: AppVersionSchema,
    name: z.string().trim().max(200).optional(),
    notes: z.string().max(100_000).optional(),
    release_date: IsoDateSchema.optional(),
    minimum_version: AppVersionSchema.optional(),
    mandatory: z.boolean().default(false),
    files: z.array(DeclaredFileSchema).min(1).max(200),
  })
  .meta({ id: "CreateReleaseRequest" });
export type CreateReleaseRequest = z.input<typeof CreateReleaseRequestSchema>;

export const UpdateReleaseRequestSchema = z
  .object({
    name: z.string().trim().max(200).nullable(),
    notes: z.string().max(100_000).nullable(),
    minimum_version: AppVersionSchema.nullable(),
    mandatory: z.boolean(),
    health_halt_below: z.number().min(0).max(100).nullable().meta({
      description:
        "Halt the rollout when the version's crash-free sessions (percent) fall below this; null: never",
    }),
    health_min_sessions: z.number().int().min(1).max(100_000_000),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, "send at least one field to change")
  .meta({ id: "UpdateReleaseRequest" });

export const PublishReleaseRequestSchema = z
  .object({ rollout: z.object(RolloutRequestFields).optional() })
  .meta({ id: "PublishReleaseRequest" });

export const RolloutActionRequestSchema = z
  .discriminatedUnion("action", [
    z.object({ action: z.literal("pause") }),
    z.object({ action: z.literal("resume") }),
    z.object({ action: z.literal("halt") }),
    z.object({ action: z.literal("set"), ...RolloutRequestFields }),
  ])
  .meta({ id: "RolloutActionRequest" });

export const YankReleaseRequestSchema = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: "YankReleaseRequest" });

export const ReleaseResponseSchema = z.object({ success: z.literal(true), release: ReleaseSchema });
export const ReleaseListQuerySchema = PaginationQuerySchema.extend({
  channel: ChannelNameSchema.optional(),
  version: AppVersionSchema.optional(),
  status: ReleaseStatusSchema.optional(),
});
export const ReleaseListSchema = z
  .object({ success: z.literal(true), releases: z.array(ReleaseSchema), next_cursor: z.string().nullable() })
  .meta({ id: "ReleaseList" });

export const ReleaseFileParamsSchema = z.object({
  releaseId: z.string().min(1).max(64),
  fileName: ReleaseFileNameSchema,
});
export const MultipartParamsSchema = ReleaseFileParamsSchema.extend({
  uploadId: z.string().min(1).max(1024),
});
export const MultipartPartParamsSchema = MultipartParamsSchema.extend({
  partNumber: z.coerce.number().int().min(1).max(10_000),
});
export const ReleaseFileResponseSchema = z.object({ success: z.literal(true), file: ReleaseFileSchema });
export const MultipartUploadSchema = z.object({
  success: z.literal(true),
  upload_id: z.string(),
  part_size: z
    .number()
    .int()
    .meta({ description: "Send parts of exactly this size (the last may be smaller)" }),
});
export const UploadedPartSchema = z.object({
  success: z.literal(true),
  part_number: z.number().int(),
  etag: z.string(),
});
export const CompleteMultipartRequestSchema = z
  .object({
    parts: z
      .array(z.object({ part_number: z.number().int().min(1).max(10_000), etag: z.string().min(1).max(200) }))
      .min(1)
      .max(10_000),
  })
  .meta({ id: "CompleteMultipartRequest" });
