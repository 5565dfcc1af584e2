// Symbolication: a minified stack frame resolved to the original source with the source map the
// company uploaded for the project and release (tenant error_source_maps, bytes in the ERRORS bucket).
// A map is named by its minified file's URL, normalised as `~/path`; a frame matches by its exact
// abs_path first, then by `~/` + its path without scheme and host. Maps are fetched and parsed once
// per batch. A map that cannot be read or parsed leaves its frames as they were (logged): the event
// is still stored, never held back by a bad upload.

import { FlattenMap, originalPositionFor, sourceContentFor, type TraceMap } from "@jridgewell/trace-mapping";
import {
  type ErrorEventData,
  type ErrorException,
  type ErrorStackFrame,
  ErrorStackFrameSchema,
} from "@nexus/contracts";
import { errorText } from "@nexus/db";
import { errorSourceMaps } from "@nexus/db/tenant";
import { sql } from "drizzle-orm";
import type { Orm } from "../db.ts";
import { tildePath } from "./grouping.ts";

/** Source lines shown around a frame's line, as Sentry does. */
const CONTEXT_LINES = 5;
const MAX_LINE = 1024;
/** Lines searched upwards for the enclosing function's name when the map does not name it. */
const FUNCTION_SEARCH_LINES = 200;

interface Candidate {
  p: number;
  r: string;
  n: string;
}

const key = (projectId: number, release: string, name: string) => `${projectId}\u0000${release}\u0000${name}`;

/** The source-map names a frame may be uploaded under, best first. */
export function mapNamesFor(frame: ErrorStackFrame): string[] {
  const path = frame.abs_path || frame.filename;
  if (!path) return [];
  const tilde = tildePath(path);
  return tilde === path ? [path] : [path, tilde];
}

const positioned = (frame: ErrorStackFrame) =>
  typeof frame.lineno === "number" && frame.lineno > 0 && typeof frame.colno === "number" && frame.colno > 0;

/** Parsed maps of one batch: the lookups for every event of a company at once, each map read once. */
export class SourceMapCache {
  private readonly keys = new Map<string, string>();
  private readonly maps = new Map<string, Promise<TraceMap | null>>();

  private readonly db: Orm;
  private readonly bucket: R2Bucket;

  constructor(db: Orm, bucket: R2Bucket) {
    this.db = db;
    this.bucket = bucket;
  }

  /** Finds the uploaded maps the events' frames may need (one query for all of them). */
  async lookUp(events: { projectId: number; event: ErrorEventData }[]): Promise<void> {
    const candidates = new Map<string, Candidate>();
    for (const { projectId, event } of events) {
      if (!event.release) continue;
      for (const exception of event.exceptions) {
        for (const frame of exception.frames) {
          if (!positioned(frame)) continue;
          for (const name of mapNamesFor(frame)) {
            candidates.set(key(projectId, event.release, name), { p: projectId, r: event.release, n: name });
          }
        }
      }
    }
    if (candidates.size === 0) return;
    // One bound JSON array for every (project, release, name): D1 caps bound parameters at 100.
    const rows = await this.db
      .select({
        projectId: errorSourceMaps.projectId,
        release: errorSourceMaps.release,
        name: errorSourceMaps.name,
        r2Key: errorSourceMaps.r2Key,
      })
      .from(errorSourceMaps)
      .where(
        sql`(${errorSourceMaps.projectId}, ${errorSourceMaps.release}, ${errorSourceMaps.name}) IN
            (SELECT j.value ->> 'p', j.value ->> 'r', j.value ->> 'n' FROM json_each(${JSON.stringify([...candidates.values()])}) AS j)`,
      );
    for (const row of rows) this.keys.set(key(row.projectId, row.release, row.name), row.r2Key);
  }

  /** The parsed map for a frame, or null when none was uploaded or it cannot be used. */
  async mapFor(projectId: number, release: string, frame: ErrorStackFrame): Promise<TraceMap | null> {
    for (const name of mapNamesFor(frame)) {
      const r2Key = this.keys.get(key(projectId, release, name));
      if (r2Key === undefined) continue;
      let map = this.maps.get(r2Key);
      if (!map) {
        map = this.load(r2Key);
        this.maps.set(r2Key, map);
      }
      return map;
    }
    return null;
  }

  private async load(r2Key: string): Promise<TraceMap | null> {
    try {
      const object = await this.bucket.get(r2Key);
      if (!object) throw new Error("the object is missing from the ERRORS bucket");
      const stream =
        object.httpMetadata?.contentEncoding === "gzip"
          ? object.body.pipeThrough(new DecompressionStream("gzip"))
          : object.body;
      const map = new FlattenMap(await new Response(stream).text());
      // Decoding is lazy: the first lookup finds broken mappings, so make it happen here.
      originalPositionFor(map, { line: 1, column: 0 });
      return map;
    } catch (error) {
      console.warn(
        JSON.stringify({ level: "warn", event: "source_map_unusable", r2Key, error: errorText(error) }),
      );
      return null;
    }
  }
}

const cut = (line: string) => (line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line);

/** The context lines around `line` (1-based) of a source, as Sentry shows them. */
function contextOf(content: string | null, line: number): Partial<ErrorStackFrame> {
  if (content === null) return {};
  const lines = content.split(/\r?\n/);
  const at = lines[line - 1];
  if (at === undefined) return {};
  return {
    context_line: cut(at),
    pre_context: lines.slice(Math.max(0, line - 1 - CONTEXT_LINES), line - 1).map(cut),
    post_context: lines.slice(line, line + CONTEXT_LINES).map(cut),
  };
}

const FUNCTION_PATTERNS = [
  /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(/,
  /\b([A-Za-z_$][\w$]*)\s*[=:]\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]*)?=>|[A-Za-z_$][\w$]*\s*=>)/,
  /^\s*(?:(?:public|private|protected|static|async|override)\s+)*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::[^{]*)?\{/,
];
const NOT_FUNCTIONS = new Set(["if", "for", "while", "switch", "catch", "return", "function"]);

/** The name of the function the line is in, read from the original source upwards (a best guess). */
function enclosingFunction(content: string | null, line: number): string | null {
  if (content === null) return null;
  const lines = content.split(/\r?\n/);
  for (let i = line - 1; i >= 0 && i >= line - FUNCTION_SEARCH_LINES; i--) {
    for (const pattern of FUNCTION_PATTERNS) {
      const name = pattern.exec(lines[i] ?? "")?.[1];
      if (name && !NOT_FUNCTIONS.has(name)) return name;
    }
  }
  return null;
}

/** A source path as people read it: bundler prefixes and leading `./` and `../` taken off. */
function readableSource(source: string): string {
  return source.replace(/^webpack:\/\/[^/]*\//, "").replace(/^(\.\.?\/)+/, "");
}

interface Resolved {
  frame: ErrorStackFrame;
  /** The original name at the frame's position: the callee's name when the frame is a call site. */
  callee: string | null;
}

function resolveFrame(map: TraceMap, frame: ErrorStackFrame): Resolved | null {
  const lineno = frame.lineno ?? 0;
  const colno = frame.colno ?? 0;
  const position = originalPositionFor(map, { line: lineno, column: colno - 1 });
  if (position.source === null) return null;
  const content = sourceContentFor(map, position.source);
  const original = {
    ...frame,
    function: enclosingFunction(content, position.line) ?? frame.function,
    filename: readableSource(position.source),
    abs_path: position.source,
    lineno: position.line,
    colno: position.column + 1,
    in_app: position.source.includes("/node_modules/") ? false : frame.in_app,
    ...contextOf(content, position.line),
    minified: { abs_path: frame.abs_path ?? frame.filename, lineno, colno },
  };
  // Trimmed to the schema's bounds: a source's path or line may be longer than a frame may hold.
  const checked = ErrorStackFrameSchema.safeParse(original);
  return checked.success ? { frame: checked.data, callee: position.name } : null;
}

async function symbolicateException(
  cache: SourceMapCache,
  projectId: number,
  release: string,
  exception: ErrorException,
): Promise<ErrorException> {
  const resolved = await Promise.all(
    exception.frames.map(async (frame) => {
      if (!positioned(frame)) return null;
      const map = await cache.mapFor(projectId, release, frame);
      return map ? resolveFrame(map, frame) : null;
    }),
  );
  if (resolved.every((entry) => entry === null)) return exception;
  const frames = exception.frames.map((frame, i) => {
    const entry = resolved[i];
    if (!entry) return frame;
    // The caller's call site names this frame's function precisely (innermost frames come last).
    const callee = resolved[i - 1]?.callee;
    return callee ? { ...entry.frame, function: callee } : entry.frame;
  });
  return { ...exception, frames };
}

/** The event with every frame that has a usable map resolved to its original position. */
export async function symbolicate(
  cache: SourceMapCache,
  projectId: number,
  event: ErrorEventData,
): Promise<ErrorEventData> {
  const release = event.release;
  if (!release) return event;
  const exceptions = await Promise.all(
    event.exceptions.map((exception) => symbolicateException(cache, projectId, release, exception)),
  );
  return { ...event, exceptions };
}
