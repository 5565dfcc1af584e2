// Releases as the operators' API sees them: loading with files, the JSON view, and the state rules
// (draft → published → yanked) shared by the admin routes.
import type { Release } from "@nexus/contracts";
import { releaseFiles, releases, updateChannels } from "@nexus/db/central";
import { eq, inArray, sql } from "drizzle-orm";
import type { CentralDb } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { effectivePercent } from "./rollout.ts";

export type ReleaseRow = typeof releases.$inferSelect;
export type ReleaseFileRow = typeof releaseFiles.$inferSelect;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toReleaseView(release: ReleaseRow, files: ReleaseFileRow[], now = Date.now()): Release {
  return {
    id: release.id,
    channel: release.channel,
    version: release.version,
    name: release.name,
    notes: release.notes,
    release_date: iso(release.releaseDate),
    minimum_version: release.minimumVersion,
    mandatory: release.mandatory,
    status: release.status,
    rollout: {
      state: release.rolloutState,
      percent: release.rolloutPercent,
      ramp_hours: release.rolloutRampSeconds === null ? null : release.rolloutRampSeconds / 3600,
      effective_percent: release.status === "published" ? effectivePercent(release, now) : 0,
      started_at: iso(release.rolloutStartedAt),
    },
    files: files.map((file) => ({
      name: file.name,
      platform: file.platform as Release["files"][number]["platform"],
      kind: file.kind,
      size: file.size,
      sha512: file.sha512,
      block_map_size: file.blockMapSize,
      uploaded: file.uploadedAt !== null,
    })),
    published_at: iso(release.publishedAt),
    yanked_at: iso(release.yankedAt),
    yanked_reason: release.yankedReason,
    health_halt_below: release.healthHaltBelow,
    health_min_sessions: release.healthMinSessions,
    halted_by_health_at: iso(release.haltedByHealthAt),
    created_at: release.createdAt.toISOString(),
  };
}

/** The release and its files in declaration order, or RELEASE_NOT_FOUND. */
export async function loadRelease(
  db: CentralDb,
  releaseId: string,
): Promise<{ release: ReleaseRow; files: ReleaseFileRow[] }> {
  const [release] = await db.select().from(releases).where(eq(releases.id, releaseId)).limit(1);
  if (!release) throw new ApiError("RELEASE_NOT_FOUND", `There is no release ${releaseId}.`);
  return { release, files: await filesOf(db, [releaseId]).then((map) => map.get(releaseId) ?? []) };
}

/**
 * Insertion order is declaration order: electron-updater takes a channel file's first file as
 * `path`. Raw SQL because the order lives only in SQLite's implicit rowid, which the schema (a
 * composite primary key, no autoincrement column) does not declare.
 */
export const declarationOrder = sql`${releaseFiles}.rowid`;

/** Files of several releases, each list in declaration (insertion) order. */
export async function filesOf(db: CentralDb, releaseIds: string[]): Promise<Map<string, ReleaseFileRow[]>> {
  const byRelease = new Map<string, ReleaseFileRow[]>();
  if (releaseIds.length === 0) return byRelease;
  const rows = await db
    .select()
    .from(releaseFiles)
    .where(inArray(releaseFiles.releaseId, releaseIds))
    .orderBy(declarationOrder);
  for (const row of rows) byRelease.set(row.releaseId, [...(byRelease.get(row.releaseId) ?? []), row]);
  return byRelease;
}

export function requireStatus(release: ReleaseRow, allowed: ReleaseRow["status"][], doing: string): void {
  if (allowed.includes(release.status)) return;
  throw new ApiError(
    "RELEASE_STATE_CONFLICT",
    `Release ${release.version} on ${release.channel} is ${release.status}; cannot ${doing} (needs ${allowed.join(" or ")}).`,
    { status: release.status },
  );
}

export async function requireChannel(db: CentralDb, name: string): Promise<void> {
  const [row] = await db
    .select({ name: updateChannels.name })
    .from(updateChannels)
    .where(eq(updateChannels.name, name))
    .limit(1);
  if (!row) {
    throw new ApiError(
      "CHANNEL_NOT_FOUND",
      `There is no update channel "${name}". See GET /api/admin/channels, or create it first.`,
    );
  }
}

/** Where a release file lives in the ARTIFACTS bucket: per release, so versions never overwrite each other. */
export const artifactKey = (releaseId: string, fileName: string) => `releases/${releaseId}/${fileName}`;

/** Release notes and a long list of declared files can outgrow the default 64 KiB JSON body. */
export const RELEASE_BODY_LIMIT = 512 * 1024;
