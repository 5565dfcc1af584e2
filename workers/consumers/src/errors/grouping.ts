// Grouping events into issues, as Sentry does by default: the same fingerprint is the same issue.
// A client-sent fingerprint wins (`{{ default }}` in it stands for the default grouping); otherwise
// exceptions group by their types and the innermost in-app frames (no line or column numbers, so a
// rebuild or an unrelated edit does not split an issue), and message events by their text with the
// variable parts (numbers, ids, addresses) taken out. Titles and culprits read as in Sentry.
import {
  type ErrorEventData,
  type ErrorException,
  type ErrorStackFrame,
  sourceMapName,
} from "@nexus/contracts";
import { sha256Hex } from "@nexus/security";

/** Frames per exception that take part in the default grouping (the innermost ones). */
export const GROUPING_FRAMES = 5;
const DEFAULT_MARKER = /^\{\{\s*default\s*\}\}$/;

/**
 * A file path as it is everywhere the app runs: no scheme or host (`https://cdn/x.js`, `app:///x.js`,
 * `file:///C:/…`), no query or hash, no content hash (`main.a1b2c3d4.js`, `index-1f2e3d4c.js`), and
 * for an Electron app only the part inside its archive (the install folder differs per user).
 */
export function normaliseFilename(path: string): string {
  let name = path.replace(/[?#].*$/s, "").replace(/\\/g, "/");
  name = name.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "");
  const archive = name.lastIndexOf(".asar/");
  if (archive >= 0) name = name.slice(archive + ".asar/".length);
  name = name.replace(/^\/?[a-z]:\//i, "/");
  return name.replace(/[.-][0-9a-f]{8,}(?=\.)/gi, "");
}

/**
 * The path of a URL without its scheme and host, as source maps are named (`~/static/app.js`): the
 * API's normalisation of upload names, so a frame finds the map uploaded for its file.
 */
export function tildePath(path: string): string {
  return sourceMapName(path) ?? path;
}

/** A message without its variable parts, so "user 42 not found" and "user 43 not found" group. */
export function normaliseMessage(text: string): string {
  return text
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, "<email>")
    .replace(/\b0x[0-9a-f]+\b/gi, "<hex>")
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, "<hex>")
    .replace(/\d+(\.\d+)?/g, "<n>")
    .trim();
}

/** Frames that say where the error is: the in-app ones, or every frame when none is marked in-app. */
function relevantFrames(frames: ErrorStackFrame[]): ErrorStackFrame[] {
  const inApp = frames.filter((frame) => frame.in_app === true);
  return inApp.length > 0 ? inApp : frames;
}

function frameComponent(frame: ErrorStackFrame): string {
  const where = frame.module || normaliseFilename(frame.filename || frame.abs_path || "");
  return `${where}|${frame.function ?? ""}`;
}

function exceptionComponents(exception: ErrorException): string[] {
  const frames = relevantFrames(exception.frames).slice(-GROUPING_FRAMES);
  const type = exception.type || "Error";
  if (frames.length === 0) return [type, normaliseMessage(exception.value ?? "")];
  return [type, ...frames.map(frameComponent)];
}

/** The default grouping's parts for an event (what two events must share to be one issue). */
export function defaultGrouping(event: ErrorEventData): string[] {
  if (event.exceptions.length > 0) return event.exceptions.flatMap(exceptionComponents);
  return ["message", normaliseMessage(event.message ?? "")];
}

/** The grouping's parts: the client's fingerprint (with `{{ default }}` expanded) or the default. */
export function groupingComponents(event: ErrorEventData): string[] {
  const client = event.fingerprint;
  if (!client || client.length === 0) return ["default", ...defaultGrouping(event)];
  return [
    "custom",
    ...client.flatMap((part) => (DEFAULT_MARKER.test(part.trim()) ? defaultGrouping(event) : [part])),
  ];
}

/** sha256 hex of the grouping, first 32 characters: the issue's fingerprint within its project. */
export async function fingerprintOf(event: ErrorEventData): Promise<string> {
  return (await sha256Hex(JSON.stringify(groupingComponents(event)))).slice(0, 32);
}

/** The exception that names the issue: the outermost one (the last of the chain). */
function mainException(event: ErrorEventData): ErrorException | undefined {
  return event.exceptions[event.exceptions.length - 1];
}

const firstLine = (text: string) => (text.split("\n", 1)[0] ?? "").trim();

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Title, culprit and type of an issue as Sentry shows them ("TypeError: x is not a function"). */
export function describeIssue(event: ErrorEventData): {
  title: string;
  culprit: string | null;
  type: string | null;
} {
  const exception = mainException(event);
  if (exception) {
    const type = exception.type || "Error";
    const value = firstLine(exception.value ?? event.message ?? "");
    const frame = relevantFrames(exception.frames).at(-1);
    return {
      title: truncate(value ? `${type}: ${value}` : type, 512),
      culprit: frame ? culpritOf(frame) : (event.transaction ?? null),
      type,
    };
  }
  const message = firstLine(event.message ?? "");
  return {
    title: truncate(message || "<unlabeled event>", 512),
    culprit: event.transaction || event.logger || null,
    type: null,
  };
}

/** Sentry's JavaScript culprit: `function(~/file.js)`. */
function culpritOf(frame: ErrorStackFrame): string {
  const file = frame.module || tildePath(frame.filename || frame.abs_path || "?");
  return truncate(`${frame.function || "?"}(${file})`, 512);
}
