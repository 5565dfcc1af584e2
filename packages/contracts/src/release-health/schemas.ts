// Release health: crash-free sessions and users per release, from the sessions the apps' Sentry SDKs
// send. A company sees its own projects; operators see the platform-wide numbers of each desktop
// release's version, which the rollout's automatic halt compares with the release's threshold.
import { z } from "zod";
import { IsoDateSchema } from "../shared/common.ts";

const Percent = z
  .number()
  .min(0)
  .max(100)
  .nullable()
  .meta({ description: "Percent (two decimals); null before the first session" });

export const ReleaseHealthCountsSchema = z
  .object({
    sessions: z.number().int(),
    errored: z.number().int().meta({ description: "Sessions that saw an error (crashed ones included)" }),
    crashed: z.number().int(),
    abnormal: z
      .number()
      .int()
      .meta({ description: "Sessions that ended without a clean exit (killed, hung)" }),
    users: z.number().int().meta({ description: "Distinct users (the SDK's `did`)" }),
    crashed_users: z.number().int(),
    crash_free_sessions: Percent,
    crash_free_users: Percent,
  })
  .meta({ id: "ReleaseHealthCounts" });
export type ReleaseHealthCounts = z.infer<typeof ReleaseHealthCountsSchema>;

export const ReleaseHealthDaySchema = z.object({
  day: z.string().meta({ example: "2026-12-07", description: "The UTC day" }),
  sessions: z.number().int(),
  errored: z.number().int(),
  crashed: z.number().int(),
  abnormal: z.number().int(),
  crash_free_sessions: Percent,
});

export const CompanyReleaseHealthSchema = ReleaseHealthCountsSchema.extend({
  project_id: z.number().int(),
  project_name: z.string(),
  app: z.enum(["desktop", "mobile", "other"]),
  release: z.string().meta({ description: "The SDK's release, as sent (e.g. `desktop@1.4.2`)" }),
  last_session_at: IsoDateSchema.meta({ description: "The start of the last hour with sessions" }),
  days: z.array(ReleaseHealthDaySchema).meta({ description: "The last 14 UTC days, oldest first" }),
}).meta({ id: "CompanyReleaseHealth" });
export type CompanyReleaseHealth = z.infer<typeof CompanyReleaseHealthSchema>;

export const CompanyReleaseHealthQuerySchema = z.object({
  project_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  environment: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: "Sessions of this environment only (users are counted over every environment)" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .meta({ description: "The releases with the most recent sessions" }),
});

export const CompanyReleaseHealthListSchema = z
  .object({
    success: z.literal(true),
    releases: z.array(CompanyReleaseHealthSchema).meta({
      description: "Most recently active first. Totals cover every kept hour (90 days); `days` the last 14",
    }),
  })
  .meta({ id: "CompanyReleaseHealthList" });

export const ReleaseHealthSchema = z
  .object({
    release_id: z.string(),
    version: z.string(),
    health: ReleaseHealthCountsSchema.nullable().meta({
      description: "Every company's desktop sessions of this version; null before the first",
    }),
    updated_at: IsoDateSchema.nullable(),
    health_halt_below: z.number().nullable().meta({
      description: "The rollout halts when crash-free sessions fall below this percent; null: never",
    }),
    health_min_sessions: z
      .number()
      .int()
      .meta({ description: "Sessions needed before the halt may trigger" }),
    halted_by_health_at: IsoDateSchema.nullable(),
  })
  .meta({ id: "ReleaseHealth" });
export type ReleaseHealth = z.infer<typeof ReleaseHealthSchema>;

export const ReleaseHealthResponseSchema = z.object({
  success: z.literal(true),
  health: ReleaseHealthSchema,
});
