// A recipient's notification preferences (opt-outs and opt-ins by category and channel, `*` for
// every one) and settings (time zone, quiet hours): reading them for delivery plans and the
// preferences API, and writing them from that API and from unsubscribe links.
import {
  BUILT_IN_WORKFLOWS,
  NOTIFICATION_PREFERENCE_CHANNELS,
  type NotificationPreference,
  type NotificationPreferences,
  type PutNotificationPreferencesRequest,
} from "@nexus/contracts";
import {
  notificationPreferences,
  notificationRecipientSettings,
  notificationWorkflows,
} from "@nexus/db/tenant";
import { eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

export type RecipientSettings = typeof notificationRecipientSettings.$inferSelect;

export const DEFAULT_TIME_ZONE = "UTC";

/**
 * Whether `category` on `channel` is on for a recipient with these stored preferences. The most
 * specific setting wins: the exact pair, then the category on every channel, then the channel in
 * every category, then `*`/`*`; nothing stored means on. A category setting beats a channel one
 * because categories are what people opt out of ("no billing mails" must not be undone by "email on").
 */
export function preferenceEnabled(
  preferences: readonly { category: string; channel: string; enabled: boolean }[],
  category: string,
  channel: string,
): boolean {
  const find = (cat: string, chan: string) =>
    preferences.find((p) => p.category === cat && p.channel === chan)?.enabled;
  return find(category, channel) ?? find(category, "*") ?? find("*", channel) ?? find("*", "*") ?? true;
}

export async function recipientPreferences(db: D1Database, recipientKey: string) {
  return drizzle(db)
    .select({
      category: notificationPreferences.category,
      channel: notificationPreferences.channel,
      enabled: notificationPreferences.enabled,
    })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.recipientKey, recipientKey));
}

export async function recipientSettings(
  db: D1Database,
  recipientKey: string,
): Promise<RecipientSettings | null> {
  const [row] = await drizzle(db)
    .select()
    .from(notificationRecipientSettings)
    .where(eq(notificationRecipientSettings.recipientKey, recipientKey))
    .limit(1);
  return row ?? null;
}

export type StoredPreference = Awaited<ReturnType<typeof recipientPreferences>>[number];

/** Keys per query: D1 binds at most 100 parameters to a statement. */
const KEYS_PER_QUERY = 90;

/**
 * Many recipients' preferences and settings in one query per 90 keys, for a trigger that plans a
 * message per recipient: one lookup per recipient made a 1,000-recipient trigger take seconds.
 */
export async function preferencesOfRecipients(
  db: D1Database,
  recipientKeys: readonly string[],
): Promise<{ preferences: Map<string, StoredPreference[]>; settings: Map<string, RecipientSettings> }> {
  const orm = drizzle(db);
  const preferences = new Map<string, StoredPreference[]>();
  const settings = new Map<string, RecipientSettings>();
  const keys = [...new Set(recipientKeys)];
  for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
    const chunk = keys.slice(start, start + KEYS_PER_QUERY);
    const [preferenceRows, settingRows] = await Promise.all([
      orm
        .select({
          recipientKey: notificationPreferences.recipientKey,
          category: notificationPreferences.category,
          channel: notificationPreferences.channel,
          enabled: notificationPreferences.enabled,
        })
        .from(notificationPreferences)
        .where(inArray(notificationPreferences.recipientKey, chunk)),
      orm
        .select()
        .from(notificationRecipientSettings)
        .where(inArray(notificationRecipientSettings.recipientKey, chunk)),
    ]);
    for (const { recipientKey, ...preference } of preferenceRows) {
      preferences.set(recipientKey, [...(preferences.get(recipientKey) ?? []), preference]);
    }
    for (const row of settingRows) settings.set(row.recipientKey, row);
  }
  return { preferences, settings };
}

/** The company's categories: the built-in workflows' and its own (overrides may move a built-in). */
async function companyCategories(db: D1Database): Promise<NotificationPreferences["categories"]> {
  const own = await drizzle(db)
    .select({
      key: notificationWorkflows.key,
      category: notificationWorkflows.category,
      critical: notificationWorkflows.critical,
    })
    .from(notificationWorkflows);
  const workflows = new Map<string, { category: string; critical: boolean }>();
  for (const w of BUILT_IN_WORKFLOWS) workflows.set(w.key, { category: w.category, critical: w.critical });
  for (const w of own) workflows.set(w.key, { category: w.category, critical: w.critical });
  const categories = new Map<string, { critical: boolean; workflows: string[] }>();
  for (const [key, w] of workflows) {
    const entry = categories.get(w.category) ?? { critical: false, workflows: [] };
    entry.critical ||= w.critical;
    entry.workflows.push(key);
    categories.set(w.category, entry);
  }
  return [...categories]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, entry]) => ({ category, critical: entry.critical, workflows: entry.workflows.sort() }));
}

export async function preferencesView(
  db: D1Database,
  recipientKey: string,
): Promise<NotificationPreferences> {
  const [preferences, settings, categories] = await Promise.all([
    recipientPreferences(db, recipientKey),
    recipientSettings(db, recipientKey),
    companyCategories(db),
  ]);
  return {
    success: true,
    recipient_key: recipientKey,
    time_zone: settings?.timeZone ?? DEFAULT_TIME_ZONE,
    quiet_start: settings?.quietStart ?? null,
    quiet_end: settings?.quietEnd ?? null,
    preferences: preferences
      .map((p) => ({
        category: p.category,
        channel: p.channel as NotificationPreference["channel"],
        enabled: p.enabled,
      }))
      .sort((a, b) => a.category.localeCompare(b.category) || a.channel.localeCompare(b.channel)),
    categories,
    channels: NOTIFICATION_PREFERENCE_CHANNELS.filter((c) => c !== "*"),
  };
}

/** Applies a PUT: settings merged field by field, the preference set replaced when given, in one batch. */
export async function savePreferences(
  db: D1Database,
  recipientKey: string,
  body: PutNotificationPreferencesRequest,
  now = Date.now(),
): Promise<void> {
  const orm = drizzle(db);
  const settings: Partial<RecipientSettings> = {};
  if (body.time_zone !== undefined) settings.timeZone = body.time_zone;
  if (body.quiet_start !== undefined) settings.quietStart = body.quiet_start;
  if (body.quiet_end !== undefined) settings.quietEnd = body.quiet_end;
  const writes = [];
  if (Object.keys(settings).length > 0) {
    writes.push(
      orm
        .insert(notificationRecipientSettings)
        .values({ recipientKey, ...settings, updatedAt: now })
        .onConflictDoUpdate({
          target: notificationRecipientSettings.recipientKey,
          set: { ...settings, updatedAt: now },
        }),
    );
  }
  if (body.preferences !== undefined) {
    writes.push(
      orm.delete(notificationPreferences).where(eq(notificationPreferences.recipientKey, recipientKey)),
    );
    for (const p of body.preferences) {
      writes.push(orm.insert(notificationPreferences).values({ recipientKey, ...p, updatedAt: now }));
    }
  }
  const [first, ...rest] = writes;
  if (first) await orm.batch([first, ...rest]);
}

/** Turns one category on one channel off (an unsubscribe link), leaving every other setting alone. */
export async function optOut(
  db: D1Database,
  recipientKey: string,
  category: string,
  channel: string,
  now = Date.now(),
): Promise<void> {
  await drizzle(db)
    .insert(notificationPreferences)
    .values({ recipientKey, category, channel, enabled: false, updatedAt: now })
    .onConflictDoUpdate({
      target: [
        notificationPreferences.recipientKey,
        notificationPreferences.category,
        notificationPreferences.channel,
      ],
      set: { enabled: false, updatedAt: now },
    });
}
