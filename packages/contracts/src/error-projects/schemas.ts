// A company's error-tracking projects: one Sentry DSN each. The apps' Sentry SDKs (@sentry/electron,
// @sentry/react-native) are pointed at the DSN and report to Nexus Central unmodified.
import { z } from "zod";
import { IsoDateSchema } from "../shared/common.ts";
import { CompanyIdParams } from "../shared/route-contract.ts";

/** desktop: the Electron app whose releases Nexus Central serves (its sessions feed release health). */
export const ErrorProjectAppSchema = z.enum(["desktop", "mobile", "other"]);
export type ErrorProjectApp = z.infer<typeof ErrorProjectAppSchema>;

/** Sentry's platform names (`javascript`, `electron`, `react-native`, `node`, `cocoa`, `android`…). */
export const ErrorProjectPlatformSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "lower-case letters, digits, dots, dashes and underscores")
  .meta({ example: "electron" });

export const ErrorProjectNameSchema = z.string().trim().min(1).max(100);

/** Sentry project ids are digits: the SDKs refuse a DSN whose last path segment is not a number. */
export const ErrorProjectIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const ErrorProjectParams = CompanyIdParams.extend({ errorProjectId: ErrorProjectIdSchema });

export const ErrorIngestCountsSchema = z
  .object({
    events: z.number().int().meta({ description: "Events the consumer stored" }),
    sessions: z.number().int().meta({ description: "Session updates the consumer applied" }),
    malformed: z.number().int().meta({ description: "Requests refused as malformed (400)" }),
    rate_limited: z.number().int().meta({ description: "Requests refused by the rate limit (429)" }),
  })
  .meta({ id: "ErrorIngestCounts" });
export type ErrorIngestCounts = z.infer<typeof ErrorIngestCountsSchema>;

export const ErrorProjectSchema = z
  .object({
    id: z.number().int().meta({ description: "The Sentry project id (the DSN's last path segment)" }),
    name: z.string(),
    app: ErrorProjectAppSchema,
    platform: z.string(),
    public_key: z.string().meta({ description: "The DSN's key; public by design (it ships inside the app)" }),
    dsn: z.string().meta({
      description: "What the app's Sentry.init({ dsn }) takes",
      example: "https://0f1e2d3c4b5a69788796a5b4c3d2e1f0@central.example.com/42",
    }),
    created_at: IsoDateSchema,
    revoked_at: IsoDateSchema.nullable().meta({ description: "Set when revoked: the DSN is refused" }),
    stats: z
      .object({
        today: ErrorIngestCountsSchema.meta({ description: "The current UTC day" }),
        last_7_days: ErrorIngestCountsSchema.meta({ description: "The current UTC day and the 6 before" }),
      })
      .meta({ description: "Ingest counts, kept per project and UTC day" }),
  })
  .meta({ id: "ErrorProject" });
export type ErrorProject = z.infer<typeof ErrorProjectSchema>;

export const CreateErrorProjectRequestSchema = z
  .object({
    name: ErrorProjectNameSchema,
    app: ErrorProjectAppSchema,
    platform: ErrorProjectPlatformSchema,
  })
  .meta({ id: "CreateErrorProjectRequest" });
export type CreateErrorProjectRequest = z.input<typeof CreateErrorProjectRequestSchema>;

export const UpdateErrorProjectRequestSchema = z
  .object({ name: ErrorProjectNameSchema })
  .meta({ id: "UpdateErrorProjectRequest" });

export const ErrorProjectResponseSchema = z.object({ success: z.literal(true), project: ErrorProjectSchema });
export const ErrorProjectListSchema = z
  .object({ success: z.literal(true), projects: z.array(ErrorProjectSchema) })
  .meta({ id: "ErrorProjectList" });
