// Update delivery: channels, releases, their files, per-company access, and the electron-updater
// feed (generic provider). The feed's own payloads (channel files, artifacts) are not JSON; the
// JSON forms here are the operators' API and the seed's `/api/updates/check`.
import { z } from "zod";
import { AppVersionSchema, IsoDateSchema, PaginationQuerySchema } from "./common.ts";

/**
 * Channel names are one word: `{channel}-mac.yml` / `{channel}-linux-arm64.yml` would be ambiguous
 * with hyphens. `latest` is electron-updater's name for `stable` and is not a channel of its own.
 */
export const ChannelNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(32)
  .regex(/^[a-z][a-z0-9_]*$/, "a lower-case word: letters, digits and underscores, starting with a letter")
  .refine((name) => name !== "latest", "`latest` is the stable channel's file name, not a channel")
  .meta({ example: "beta" });

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

export const ChannelSchema = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    parent: z.string().nullable().meta({ description: "Subscribers also receive this channel's releases" }),
    created_at: IsoDateSchema,
  })
  .meta({ id: "Channel" });
export type Channel = z.infer<typeof ChannelSchema>;

export const ChannelListSchema = z.object({ success: z.literal(true), channels: z.array(ChannelSchema) });
export const CreateChannelRequestSchema = z
  .object({
    name: ChannelNameSchema,
    description: z.string().trim().max(500).optional(),
    parent: ChannelNameSchema.nullable().default("stable"),
  })
  .meta({ id: "CreateChannelRequest" });
export const ChannelResponseSchema = z.object({ success: z.literal(true), channel: ChannelSchema });

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

export const UpdateAccessSchema = z
  .object({
    channels: z.array(z.string()).meta({ description: "Channels the company may receive" }),
    pinned_version: z.string().nullable().meta({ description: "Serve no release newer than this" }),
  })
  .meta({ id: "UpdateAccess" });
export const UpdateAccessResponseSchema = UpdateAccessSchema.extend({
  success: z.literal(true),
  update_channel: z.string().meta({ description: "The company's own channel, always accessible" }),
});
export const CompanyReleasesQuerySchema = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .meta({ description: "Days of update statistics" }),
});
export const UpdateStatsRowSchema = z.object({
  company_id: z.string(),
  release_id: z.string(),
  version: z.string(),
  day: z.string(),
  checks: z.number().int(),
  downloads: z.number().int().meta({ description: "Full artifact downloads" }),
  range_requests: z
    .number()
    .int()
    .meta({ description: "Ranged artifact requests (differential downloads, resumes)" }),
});
export const CompanyReleasesSchema = z
  .object({
    success: z.literal(true),
    update_channel: z.string().meta({ description: "The company's own channel" }),
    granted_channels: z
      .array(z.string())
      .meta({ description: "Channels an operator let the company receive besides its own" }),
    channels: z.array(z.string()).meta({
      description:
        "Every channel whose releases the company receives: its own, granted ones, and their parents",
    }),
    pinned_version: z.string().nullable(),
    releases: z
      .array(ReleaseSchema)
      .meta({ description: "Published and yanked releases on those channels, newest first (at most 50)" }),
    stats: z
      .array(UpdateStatsRowSchema)
      .meta({ description: "This company's update checks and downloads per release and day" }),
  })
  .meta({ id: "CompanyReleases" });

export const UpdateAccessRequestSchema = z
  .object({
    channels: z.array(ChannelNameSchema).max(50),
    pinned_version: AppVersionSchema.nullable(),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, "send channels, pinned_version or both")
  .meta({ id: "UpdateAccessRequest" });

export const UpdateStatsQuerySchema = z.object({
  company_id: z.string().max(64).optional(),
  release_id: z.string().max(64).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export const UpdateStatsSchema = z
  .object({
    success: z.literal(true),
    rows: z.array(UpdateStatsRowSchema),
  })
  .meta({ id: "UpdateStats" });

// ---- the feed -------------------------------------------------------------------------------------

/** Company and installation credentials of every feed request (electron-updater repeats the query). */
export const FeedQuerySchema = z.object({
  company_code: z.string().max(64).optional().meta({ description: "Or the X-Company-Code header" }),
  token: z.string().max(4096).optional().meta({ description: "Or Authorization: Bearer" }),
});

export const UpdateCheckQuerySchema = FeedQuerySchema.extend({
  version: AppVersionSchema.meta({ description: "The version the app runs" }),
  channel: z.union([ChannelNameSchema, z.literal("latest")]).default("stable"),
  platform: UpdatePlatformSchema.default("win"),
});

export const UpdateCheckResponseSchema = z
  .object({
    success: z.literal(true),
    update_available: z.boolean(),
    version: z.string(),
    releaseDate: z.string(),
    releaseName: z.string().nullable(),
    releaseNotes: z.string().nullable(),
    mandatory: z.boolean(),
    minimumVersion: z.string().nullable(),
    url: z.string().meta({ description: "Download URL of the platform's installer" }),
    sha512: z.string(),
    size: z.number().int(),
  })
  .meta({ id: "UpdateCheckResponse" });
export type UpdateCheckResponse = z.infer<typeof UpdateCheckResponseSchema>;

/**
 * A channel file as electron-builder writes it and electron-updater reads it (builder-util-runtime's
 * UpdateInfo), with the feed's extra `minimumVersion` and `mandatory`.
 */
export const ChannelFileSchema = z
  .object({
    version: z.string().min(1),
    files: z
      .array(
        z.object({
          url: z.string().min(1),
          sha512: z.string().min(1),
          size: z.number().int().nonnegative(),
          blockMapSize: z.number().int().positive().optional(),
        }),
      )
      .min(1, "no `files` list (written by electron-builder 20 and later)"),
    path: z.string().optional(),
    sha512: z.string().optional(),
    releaseDate: z.string().optional(),
    releaseName: z.string().optional(),
    releaseNotes: z.string().optional(),
    minimumVersion: z.string().optional(),
    mandatory: z.boolean().optional(),
    stagingPercentage: z.number().optional(),
  })
  .meta({ id: "ChannelFile" });
export type ChannelFile = z.infer<typeof ChannelFileSchema>;

/**
 * The channel and platform of a channel file name as electron-updater derives it: `{channel}.yml`
 * (Windows), `{channel}-mac.yml`, `{channel}-linux.yml`, `{channel}-linux-arm64.yml`,
 * `{channel}-linux-armv7l.yml`; `latest` is stable. Null for any other name.
 */
export function parseChannelFileName(file: string): { channel: string; platform: UpdatePlatform } | null {
  const match = /^([a-z][a-z0-9_]*)(?:-(mac|linux|linux-arm64|linux-armv7l))?\.yml$/.exec(file);
  if (!match?.[1]) return null;
  return {
    channel: match[1] === "latest" ? "stable" : match[1],
    platform: (match[2] ?? "win") as UpdatePlatform,
  };
}

/** electron-updater's feed settings (`autoUpdater.setFeedURL`) for one installation. */
export interface UpdateFeedOptions {
  provider: "generic";
  url: string;
  channel: string;
  requestHeaders: Record<string, string>;
}
