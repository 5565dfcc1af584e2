// Source maps of a company's error projects: the bytes in the ERRORS bucket, a row per project,
// release and minified file in the tenant database (which the consumer reads to symbolicate).
import { SOURCE_MAP_MAX_BYTES, type SourceMap } from "@nexus/contracts";
import { errorSourceMaps } from "@nexus/db/tenant";
import { and, desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { bodyLength } from "../../lib/body-length.ts";
import { ApiError } from "../../lib/errors.ts";
import { type ErrorsDb, errorsDb } from "./issues.ts";
import { requireErrorProject } from "./projects.ts";

type SourceMapRow = typeof errorSourceMaps.$inferSelect;
interface MapKey {
  projectId: number;
  release: string;
  name: string;
}

const LIST_LIMIT = 1000;

export function toSourceMapView(row: SourceMapRow): SourceMap {
  return {
    project_id: row.projectId,
    release: row.release,
    name: row.name,
    size: row.size,
    sha256: row.sha256,
    uploaded_at: new Date(row.uploadedAt).toISOString(),
  };
}

const hex = (buffer: ArrayBuffer) =>
  Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
const sha256 = async (bytes: Uint8Array | string) =>
  hex(
    await crypto.subtle.digest(
      "SHA-256",
      typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes,
    ),
  );

/** Hashed release and name: both are free text (slashes, `..`), never path segments of the key. */
export async function sourceMapKey(companyId: string, key: MapKey): Promise<string> {
  const [release, name] = await Promise.all([sha256(key.release), sha256(key.name)]);
  return `companies/${companyId}/errors/source-maps/${key.projectId}/${release}/${name}.map`;
}

const invalid = (reason: string) =>
  new ApiError("VALIDATION_FAILED", `The body is not a source map (v3 JSON): ${reason}.`, {
    issues: [{ path: "body", message: reason }],
  });

/**
 * The map's bytes if they are a source map v3 (`version: 3`, `sources`, `mappings`). The spec's
 * anti-XSSI first line (`)]}'`) is dropped, so the consumer's parser gets plain JSON.
 */
export function checkedSourceMap(bytes: Uint8Array): Uint8Array {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw invalid("it is not UTF-8 text");
  }
  let stripped = bytes;
  if (text.startsWith(")]}'")) {
    const newline = text.indexOf("\n");
    text = newline === -1 ? "" : text.slice(newline + 1);
    stripped = new TextEncoder().encode(text);
  }
  let map: unknown;
  try {
    map = JSON.parse(text);
  } catch {
    throw invalid("it is not JSON");
  }
  if (typeof map !== "object" || map === null || Array.isArray(map)) throw invalid("it is not a JSON object");
  const fields = map as Record<string, unknown>;
  if (fields.version !== 3) throw invalid("`version` must be 3");
  if (typeof fields.mappings !== "string") throw invalid("`mappings` (a string) is missing");
  if (!Array.isArray(fields.sources)) throw invalid("`sources` (an array) is missing");
  return stripped;
}

async function readBody(c: Context<AppEnv>): Promise<Uint8Array> {
  bodyLength(c, {
    max: SOURCE_MAP_MAX_BYTES,
    tooLarge: `A source map may be at most ${SOURCE_MAP_MAX_BYTES} bytes.`,
  });
  if (c.req.raw.body === null) throw invalid("the body is empty");
  // Content-Length was checked; the runtime holds the body to it, so this read is bounded.
  return new Uint8Array(await c.req.raw.arrayBuffer());
}

/** The company's tenant database, once the project is known to be the company's (else a 404). */
async function projectMapsDb(c: Context<AppEnv>, companyId: string, projectId: number): Promise<ErrorsDb> {
  await requireErrorProject(c.get("db"), companyId, projectId);
  return errorsDb(c.env, companyId);
}

/** Stores (or replaces) the map of `name` in `release`: bytes first, then the row pointing at them. */
export async function uploadProjectSourceMap(
  c: Context<AppEnv>,
  companyId: string,
  key: MapKey,
): Promise<SourceMap> {
  const db = await projectMapsDb(c, companyId, key.projectId);
  const bytes = checkedSourceMap(await readBody(c));
  const row: SourceMapRow = {
    ...key,
    r2Key: await sourceMapKey(companyId, key),
    size: bytes.byteLength,
    sha256: await sha256(bytes),
    uploadedAt: Date.now(),
  };
  await c.env.ERRORS.put(row.r2Key, bytes, {
    httpMetadata: { contentType: "application/json" },
    customMetadata: { release: key.release, name: key.name },
  });
  await db
    .insert(errorSourceMaps)
    .values(row)
    .onConflictDoUpdate({
      target: [errorSourceMaps.projectId, errorSourceMaps.release, errorSourceMaps.name],
      set: { r2Key: row.r2Key, size: row.size, sha256: row.sha256, uploadedAt: row.uploadedAt },
    });
  return toSourceMapView(row);
}

export async function listProjectSourceMaps(
  c: Context<AppEnv>,
  companyId: string,
  projectId: number,
  release: string | undefined,
): Promise<{ maps: SourceMap[]; truncated: boolean }> {
  const db = await projectMapsDb(c, companyId, projectId);
  const rows = await db
    .select()
    .from(errorSourceMaps)
    .where(
      and(
        eq(errorSourceMaps.projectId, projectId),
        release === undefined ? undefined : eq(errorSourceMaps.release, release),
      ),
    )
    .orderBy(desc(errorSourceMaps.uploadedAt), errorSourceMaps.name)
    .limit(LIST_LIMIT + 1);
  return { maps: rows.slice(0, LIST_LIMIT).map(toSourceMapView), truncated: rows.length > LIST_LIMIT };
}

const mapIs = (key: MapKey) =>
  and(
    eq(errorSourceMaps.projectId, key.projectId),
    eq(errorSourceMaps.release, key.release),
    eq(errorSourceMaps.name, key.name),
  );

async function requireSourceMap(db: ErrorsDb, key: MapKey): Promise<SourceMapRow> {
  const [row] = await db.select().from(errorSourceMaps).where(mapIs(key)).limit(1);
  if (!row) {
    throw new ApiError(
      "SOURCE_MAP_NOT_FOUND",
      `Project ${key.projectId} has no source map for ${key.name} in release ${key.release}.`,
    );
  }
  return row;
}

/** Deletes the row first: a row never points at bytes that are gone. */
export async function deleteProjectSourceMap(
  c: Context<AppEnv>,
  companyId: string,
  key: MapKey,
): Promise<SourceMap> {
  const db = await projectMapsDb(c, companyId, key.projectId);
  const row = await requireSourceMap(db, key);
  await db.delete(errorSourceMaps).where(mapIs(key));
  await c.env.ERRORS.delete(row.r2Key);
  return toSourceMapView(row);
}
