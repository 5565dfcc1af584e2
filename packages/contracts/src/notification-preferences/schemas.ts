// A user's own notification preferences: opt-outs and opt-ins by category and channel (`*` for
// every category or channel; the most specific setting wins, and everything is on by default), their
// time zone, and quiet hours during which non-critical email, SMS and push wait (docs/notifications.md).
import { z } from "zod";

/** The channels a preference can name; `*` is every channel. */
export const NOTIFICATION_PREFERENCE_CHANNELS = ["*", "email", "sms", "push", "in_app"] as const;
export const NotificationPreferenceChannelSchema = z
  .enum(NOTIFICATION_PREFERENCE_CHANNELS)
  .meta({ id: "NotificationPreferenceChannel" });

/** A workflow category (`project`, `billing`…), or `*` for every category. */
export const NotificationCategorySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^(\*|[a-z0-9][a-z0-9_.-]*)$/, "a category such as `project`, or `*` for every category");

/** An IANA time zone such as `Europe/Berlin` (what `Intl` knows), or `UTC`. */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isIanaTimeZone, "an IANA time zone such as Europe/Berlin")
  .meta({ example: "Europe/Berlin" });

/** A local time of day, 24-hour `HH:MM`. */
export const ClockTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day as HH:MM (24-hour)")
  .meta({ example: "22:00" });

export const NotificationPreferenceSchema = z
  .strictObject({
    category: NotificationCategorySchema,
    channel: NotificationPreferenceChannelSchema,
    enabled: z.boolean(),
  })
  .meta({ id: "NotificationPreference" });
export type NotificationPreference = z.infer<typeof NotificationPreferenceSchema>;

export const NotificationPreferencesSchema = z
  .object({
    success: z.literal(true),
    /** Whose preferences these are: `user:<id>`. */
    recipient_key: z.string(),
    time_zone: z.string(),
    /** Quiet hours, local to `time_zone`; the window may cross midnight (22:00–07:00). Null: none. */
    quiet_start: z.string().nullable(),
    quiet_end: z.string().nullable(),
    /** The stored settings; anything not listed is on. */
    preferences: z.array(NotificationPreferenceSchema),
    /** The categories the company's workflows use (the rows of a preferences grid). */
    categories: z.array(
      z.object({
        category: z.string(),
        /** Some workflow of the category is critical: it delivers through opt-outs and quiet hours. */
        critical: z.boolean(),
        workflows: z.array(z.string()),
      }),
    ),
    channels: z.array(NotificationPreferenceChannelSchema.exclude(["*"])),
  })
  .meta({ id: "NotificationPreferences" });
export type NotificationPreferences = z.infer<typeof NotificationPreferencesSchema>;

export const PutNotificationPreferencesRequestSchema = z
  .strictObject({
    time_zone: TimeZoneSchema.optional(),
    /** Both or neither; null for both turns quiet hours off. Equal times are refused (a 0- or 24-hour window). */
    quiet_start: ClockTimeSchema.nullable().optional(),
    quiet_end: ClockTimeSchema.nullable().optional(),
    /** Replaces the whole set when given (like Knock's set preferences); omitted keeps it. */
    preferences: z.array(NotificationPreferenceSchema).max(200).optional(),
  })
  .refine((body) => (body.quiet_start === undefined) === (body.quiet_end === undefined), {
    message: "Give quiet_start and quiet_end together.",
    path: ["quiet_end"],
  })
  .refine((body) => (body.quiet_start === null) === (body.quiet_end === null), {
    message: "Set quiet_start and quiet_end both to times, or both to null to turn quiet hours off.",
    path: ["quiet_end"],
  })
  .refine((body) => !body.quiet_start || body.quiet_start !== body.quiet_end, {
    message: "Quiet hours need different start and end times.",
    path: ["quiet_end"],
  })
  .refine(
    (body) =>
      new Set(body.preferences?.map((p) => `${p.category}\n${p.channel}`)).size ===
      (body.preferences?.length ?? 0),
    { message: "Each category and channel pair may appear once.", path: ["preferences"] },
  )
  .meta({ id: "PutNotificationPreferencesRequest" });
export type PutNotificationPreferencesRequest = z.infer<typeof PutNotificationPreferencesRequestSchema>;

/** Whether `Intl` knows the zone by its IANA name (offsets such as `+02:00` are not zones). */
export function isIanaTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What the public unsubscribe link opted out of (the page names it). */
export const UnsubscribeQuerySchema = z.object({ token: z.string().min(1).max(2000) });
