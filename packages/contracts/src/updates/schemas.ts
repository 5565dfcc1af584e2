// Update delivery: channels, releases, their files, per-company access, and the electron-updater
// feed (generic provider). The feed's own payloads (channel files, artifacts) are not JSON; the
// JSON forms here are the operators' API and the seed's `/api/updates/check`.
import { z } from "zod";
import { ChannelNameSchema } from "../channels/schemas.ts";
import { ReleaseSchema, type UpdatePlatform, UpdatePlatformSchema } from "../releases/schemas.ts";
import { AppVersionSchema } from "../shared/common.ts";

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
