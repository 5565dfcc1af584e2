// The template editor's choices: which template a workflow uses for a channel and locale (the
// company's newest version, else the built-in default for the locale, its language, or English — the
// API's lookup), the locales there are, and the sample payload typed as JSON.
import { BUILT_IN_WORKFLOWS, type NotificationChannel, type NotificationTemplate } from "@nexus/contracts";

interface TemplateList {
  templates: readonly NotificationTemplate[];
  defaults: readonly NotificationTemplate[];
}

const exactly = (channel: NotificationChannel, locale: string) => (template: NotificationTemplate) =>
  template.channel === channel && template.locale.toLowerCase() === locale.toLowerCase();

/** The company's versions for the channel and locale, newest first. */
export function versionsOf(
  list: TemplateList,
  channel: NotificationChannel,
  locale: string,
): NotificationTemplate[] {
  return list.templates.filter(exactly(channel, locale)).sort((a, b) => b.version - a.version);
}

/** What the workflow would render for this channel and locale, or undefined when nothing would. */
export function templateInUse(
  list: TemplateList,
  channel: NotificationChannel,
  locale: string,
): NotificationTemplate | undefined {
  const language = locale.split("-")[0] ?? locale;
  for (const candidate of [locale, language, "en"]) {
    const own = versionsOf(list, channel, candidate)[0];
    if (own) return own;
    const builtIn = list.defaults.find(exactly(channel, candidate));
    if (builtIn) return builtIn;
  }
  return undefined;
}

/** Every locale with a template (English first), and `extra` (one being written) if given. */
export function localesOf(list: TemplateList, extra?: string): string[] {
  const locales = new Set([
    "en",
    ...[...list.templates, ...list.defaults].map((template) => template.locale),
  ]);
  if (extra) locales.add(extra);
  return [...locales].sort((a, b) => (a === "en" ? -1 : b === "en" ? 1 : a.localeCompare(b)));
}

/** The payload a built-in is sent with (for a first preview), or an empty one. */
export function samplePayloadText(workflowKey: string): string {
  const builtIn = BUILT_IN_WORKFLOWS.find((workflow) => workflow.key === workflowKey);
  return JSON.stringify(builtIn?.sample_payload ?? {}, null, 2);
}

/** The sample payload as typed: an object, or why it is not one. */
export function parsePayload(text: string): { payload: Record<string, unknown> } | { problem: string } {
  if (!text.trim()) return { payload: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      problem: `The sample payload is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problem: "The sample payload must be a JSON object ({ … })." };
  }
  return { payload: value as Record<string, unknown> };
}
