// The settings form's model. Settings are free-form JSON the company's apps read (seed 000); the
// platform knows two keys, the branding (seed 002): `primary_color` and `logo_url`. The form edits
// those with their own controls and every other key as a typed value, and saves only what changed
// (a merge, null deleting a key), so two admins editing different keys do not undo each other.
import { logoUrlProblem } from "@nexus/contracts";
import { normalizeHexColor } from "../../lib/branding.ts";

export const BRANDING_KEYS = ["primary_color", "logo_url"] as const;
const MAX_KEY_LENGTH = 100;

/** The kinds of value a setting can hold, as the type menu offers them. */
export const VALUE_KINDS = [
  { kind: "text", label: "Text" },
  { kind: "number", label: "Number" },
  { kind: "boolean", label: "Yes / no" },
  { kind: "json", label: "JSON" },
] as const;
export type ValueKind = (typeof VALUE_KINDS)[number]["kind"];

export interface SettingRow {
  /** Stable while the key is edited (React's key). */
  uid: string;
  key: string;
  kind: ValueKind;
  /** The value as typed (text, number and JSON kinds). */
  text: string;
  /** The value of a yes/no setting. */
  flag: boolean;
}

export interface SettingsDraft {
  /** "" for none (the default color). */
  primaryColor: string;
  /** "" for none. */
  logoUrl: string;
  rows: SettingRow[];
}

export interface DraftErrors {
  primaryColor?: string;
  logoUrl?: string;
  /** By row uid. */
  rows: Record<string, { key?: string; value?: string }>;
}

let nextUid = 0;
export const newRowUid = (): string => `row-${++nextUid}`;

export function kindOf(value: unknown): ValueKind {
  if (typeof value === "string") return "text";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "json";
}

export function rowFor(key: string, value: unknown): SettingRow {
  const kind = kindOf(value);
  return {
    uid: newRowUid(),
    key,
    kind,
    text: kind === "text" ? String(value) : kind === "boolean" ? "" : JSON.stringify(value, null, 2),
    flag: value === true,
  };
}

export function draftFrom(settings: Record<string, unknown>): SettingsDraft {
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  return {
    primaryColor: text(settings.primary_color),
    logoUrl: text(settings.logo_url),
    rows: Object.entries(settings)
      .filter(([key]) => !(BRANDING_KEYS as readonly string[]).includes(key))
      .map(([key, value]) => rowFor(key, value)),
  };
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

export function rowValue(row: SettingRow): Parsed {
  switch (row.kind) {
    case "text":
      return { ok: true, value: row.text };
    case "boolean":
      return { ok: true, value: row.flag };
    case "number": {
      const value = Number(row.text.trim());
      return row.text.trim() !== "" && Number.isFinite(value)
        ? { ok: true, value }
        : { ok: false, error: "Enter a number, such as 42 or 3.5." };
    }
    case "json":
      try {
        return { ok: true, value: JSON.parse(row.text) };
      } catch {
        return { ok: false, error: 'Enter valid JSON, such as {"shift": "night"} or [1, 2].' };
      }
  }
}

export function validateDraft(draft: SettingsDraft): DraftErrors {
  const errors: DraftErrors = { rows: {} };
  if (draft.primaryColor.trim() !== "" && !normalizeHexColor(draft.primaryColor)) {
    errors.primaryColor = "Enter a hex color such as #1d4ed8.";
  }
  // The contracts' own check (the API runs the same one), so the form and the API never disagree.
  const logoProblem = draft.logoUrl === "" ? null : logoUrlProblem(draft.logoUrl);
  if (logoProblem) errors.logoUrl = `The logo ${logoProblem}.`;
  const seen = new Set<string>();
  for (const row of draft.rows) {
    const key = row.key.trim();
    const rowErrors: { key?: string; value?: string } = {};
    if (key === "") rowErrors.key = "Enter a name.";
    else if (key.length > MAX_KEY_LENGTH) rowErrors.key = `Names are at most ${MAX_KEY_LENGTH} characters.`;
    else if ((BRANDING_KEYS as readonly string[]).includes(key)) rowErrors.key = "Set this under Branding.";
    else if (seen.has(key)) rowErrors.key = "Another setting has this name.";
    seen.add(key);
    const value = rowValue(row);
    if (!value.ok) rowErrors.value = value.error;
    if (rowErrors.key || rowErrors.value) errors.rows[row.uid] = rowErrors;
  }
  return errors;
}

export const hasErrors = (errors: DraftErrors): boolean =>
  Boolean(errors.primaryColor || errors.logoUrl || Object.keys(errors.rows).length > 0);

/** The settings the draft describes (call after validateDraft found nothing). */
export function settingsFromDraft(draft: SettingsDraft): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const row of draft.rows) {
    const value = rowValue(row);
    if (value.ok) settings[row.key.trim()] = value.value;
  }
  // As typed (trimmed): an unchanged "#ABC" stays unchanged rather than becoming "#aabbcc".
  if (normalizeHexColor(draft.primaryColor)) settings.primary_color = draft.primaryColor.trim();
  if (draft.logoUrl !== "") settings.logo_url = draft.logoUrl;
  return settings;
}

/**
 * What to send to turn `before` into `after` as a merge: changed and new keys with their value,
 * removed keys as null. Null when nothing changed.
 */
export function settingsPatch(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(value)) patch[key] = value;
  }
  for (const key of Object.keys(before)) {
    if (!(key in after)) patch[key] = null;
  }
  return Object.keys(patch).length > 0 ? patch : null;
}

/** Where the new settings went: the connected installations now, the others at their next heartbeat. */
export function pushedText(pushedTo: number | null): string {
  if (pushedTo === null) return "Installations receive the new settings at their next heartbeat.";
  const now =
    pushedTo === 0
      ? "No installation is connected right now"
      : `Pushed to ${pushedTo} connected installation${pushedTo === 1 ? "" : "s"}`;
  return `${now}; the others receive them at their next heartbeat.`;
}
