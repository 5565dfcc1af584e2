// The preferences grid's rules: a stored setting names a category and a channel, either of them may be
// `*`, the most specific one wins (category and channel, then the category on every channel, then the
// channel in every category, then everything), and anything without a setting is on.
import type { NotificationPreference } from "@nexus/contracts";

type Channel = NotificationPreference["channel"];

function settingOf(
  preferences: readonly NotificationPreference[],
  category: string,
  channel: Channel,
): boolean | undefined {
  return preferences.find((preference) => preference.category === category && preference.channel === channel)
    ?.enabled;
}

/** Whether `category` reaches the person on `channel` under these settings. */
export function isEnabled(
  preferences: readonly NotificationPreference[],
  category: string,
  channel: Channel,
): boolean {
  return (
    settingOf(preferences, category, channel) ??
    settingOf(preferences, category, "*") ??
    settingOf(preferences, "*", channel) ??
    settingOf(preferences, "*", "*") ??
    true
  );
}

/**
 * The settings after switching one cell of the grid. The cell gets its own setting only where the
 * broader ones would say otherwise, so switching a cell back leaves the set as it was.
 */
export function withCell(
  preferences: readonly NotificationPreference[],
  category: string,
  channel: Channel,
  enabled: boolean,
): NotificationPreference[] {
  const others = preferences.filter(
    (preference) => !(preference.category === category && preference.channel === channel),
  );
  if (isEnabled(others, category, channel) === enabled) return others;
  return [...others, { category, channel, enabled }];
}

/** The time zones a person can choose: what the browser knows, with the stored one kept. */
export function timeZoneChoices(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const zones = new Set(["UTC", ...known]);
  if (current) zones.add(current);
  return [...zones].sort((a, b) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b)));
}

/** The browser's own time zone (what a person most likely means), or UTC. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** "projects" → "Projects", "team-chat" → "Team chat". */
export const categoryLabel = (category: string): string => {
  const words = category.replace(/[_.-]+/g, " ").trim();
  return words ? `${words.slice(0, 1).toUpperCase()}${words.slice(1)}` : category;
};
