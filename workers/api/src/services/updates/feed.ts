// What the feed serves a company: the newest published release it may receive on a channel, for
// a platform, inside the caller's rollout cohort — rendered as electron-updater's channel file.
import type { UpdatePlatform } from "@nexus/contracts";
import { type companies, companyUpdateAccess, releaseFiles, releases } from "@nexus/db/central";
import { and, desc, eq, inArray, isNotNull, or } from "drizzle-orm";
import type { CentralDb } from "../../env.ts";
import { compareVersions } from "../../lib/semver.ts";
import { findCompanyByCode } from "../companies.ts";
import { type ChannelTree, loadChannelTree } from "./channels.ts";
import { declarationOrder, type ReleaseFileRow, type ReleaseRow } from "./releases.ts";
import { effectivePercent, inRollout } from "./rollout.ts";

export type CompanyRow = typeof companies.$inferSelect;

export interface FeedCompany {
  company: CompanyRow;
  /** Channels granted explicitly, besides the company's own `update_channel`. */
  granted: string[];
}

export interface Candidate {
  release: Pick<
    ReleaseRow,
    | "id"
    | "channel"
    | "version"
    | "name"
    | "notes"
    | "releaseDate"
    | "publishedAt"
    | "minimumVersion"
    | "mandatory"
    | "rolloutPercent"
    | "rolloutRampSeconds"
    | "rolloutState"
    | "rolloutStartedAt"
  >;
  /** The platform's files in declaration order, artifacts and blockmaps. */
  files: Pick<ReleaseFileRow, "name" | "kind" | "size" | "sha512" | "blockMapSize">[];
}

/** How many of the newest published releases per channel set a feed request considers. */
const CANDIDATE_LIMIT = 100;

// Releases, channels and companies' update settings change only through the operators' routes;
// an isolate keeps what it read for a few seconds (clearFeedCache() drops it at once when a change
// is made in the same isolate; other isolates see it within FEED_CACHE_MS).
const FEED_CACHE_MS = 5_000;
const MAX_CACHED_COMPANIES = 5_000;
const candidateCache = new Map<string, { at: number; value: Promise<Candidate[]> }>();
const companyCache = new Map<string, { at: number; value: Promise<FeedCompany | null> }>();
let treeCache: { at: number; value: Promise<ChannelTree> } | null = null;

export function clearFeedCache(): void {
  candidateCache.clear();
  companyCache.clear();
  treeCache = null;
}

export function cachedChannelTree(db: CentralDb, now = Date.now()): Promise<ChannelTree> {
  if (!treeCache || now - treeCache.at > FEED_CACHE_MS) {
    const value = loadChannelTree(db);
    treeCache = { at: now, value };
    value.catch(() => {
      treeCache = null;
    });
  }
  return treeCache.value;
}

export function cachedFeedCompany(
  db: CentralDb,
  companyCode: string,
  now = Date.now(),
): Promise<FeedCompany | null> {
  const cached = companyCache.get(companyCode);
  if (cached && now - cached.at <= FEED_CACHE_MS) return cached.value;
  if (companyCache.size >= MAX_CACHED_COMPANIES) companyCache.clear();
  const value = loadFeedCompany(db, companyCode);
  companyCache.set(companyCode, { at: now, value });
  value.catch(() => companyCache.delete(companyCode));
  return value;
}

async function loadFeedCompany(db: CentralDb, companyCode: string): Promise<FeedCompany | null> {
  const company = await findCompanyByCode(db, companyCode);
  if (!company) return null;
  const granted = await db
    .select({ channel: companyUpdateAccess.channel })
    .from(companyUpdateAccess)
    .where(eq(companyUpdateAccess.companyId, company.id));
  return { company, granted: granted.map((row) => row.channel) };
}

/** The channels whose releases a company receives when its app asks for `channel`, or null if not allowed. */
export function receivableChannels(tree: ChannelTree, feed: FeedCompany, channel: string): string[] | null {
  const allowed = [feed.company.updateChannel, ...feed.granted];
  // A subscriber of beta may also ask for stable (latest.yml): it is part of beta's chain.
  const mayAsk = allowed.some((name) => tree.chain(name).includes(channel));
  return mayAsk ? tree.chain(channel) : null;
}

export function loadCandidates(
  db: CentralDb,
  channels: string[],
  platform: UpdatePlatform,
  now = Date.now(),
): Promise<Candidate[]> {
  const key = `${platform}|${channels.join(",")}`;
  const cached = candidateCache.get(key);
  if (cached && now - cached.at <= FEED_CACHE_MS) return cached.value;
  const value = queryCandidates(db, channels, platform);
  candidateCache.set(key, { at: now, value });
  value.catch(() => candidateCache.delete(key));
  return value;
}

async function queryCandidates(
  db: CentralDb,
  channels: string[],
  platform: UpdatePlatform,
): Promise<Candidate[]> {
  const newest = db
    .select({ id: releases.id })
    .from(releases)
    .where(and(eq(releases.status, "published"), inArray(releases.channel, channels)))
    .orderBy(desc(releases.publishedAt))
    .limit(CANDIDATE_LIMIT);
  const rows = await db
    .select({
      release: {
        id: releases.id,
        channel: releases.channel,
        version: releases.version,
        name: releases.name,
        notes: releases.notes,
        releaseDate: releases.releaseDate,
        publishedAt: releases.publishedAt,
        minimumVersion: releases.minimumVersion,
        mandatory: releases.mandatory,
        rolloutPercent: releases.rolloutPercent,
        rolloutRampSeconds: releases.rolloutRampSeconds,
        rolloutState: releases.rolloutState,
        rolloutStartedAt: releases.rolloutStartedAt,
      },
      file: {
        name: releaseFiles.name,
        kind: releaseFiles.kind,
        size: releaseFiles.size,
        sha512: releaseFiles.sha512,
        blockMapSize: releaseFiles.blockMapSize,
      },
    })
    .from(releases)
    .innerJoin(releaseFiles, eq(releaseFiles.releaseId, releases.id))
    .where(and(inArray(releases.id, newest), eq(releaseFiles.platform, platform)))
    .orderBy(declarationOrder);
  const byId = new Map<string, Candidate>();
  for (const row of rows) {
    const candidate = byId.get(row.release.id) ?? { release: row.release, files: [] };
    candidate.files.push(row.file);
    byId.set(row.release.id, candidate);
  }
  return [...byId.values()].filter((candidate) => candidate.files.some((file) => file.kind === "artifact"));
}

/**
 * The newest few stored files named `file` on `channels`: artifacts of published releases, and
 * blockmaps of yanked ones too (a differential download from a yanked version needs its blockmap).
 */
export function servableFiles(db: CentralDb, channels: string[], file: string) {
  return db
    .select({ file: releaseFiles, version: releases.version })
    .from(releaseFiles)
    .innerJoin(releases, eq(releases.id, releaseFiles.releaseId))
    .where(
      and(
        eq(releaseFiles.name, file),
        isNotNull(releaseFiles.uploadedAt),
        inArray(releases.channel, channels),
        or(
          eq(releases.status, "published"),
          and(eq(releases.status, "yanked"), eq(releaseFiles.kind, "blockmap")),
        ),
      ),
    )
    .orderBy(desc(releases.publishedAt))
    .limit(5);
}

export interface PickOptions {
  pinnedVersion: string | null;
  /** electron-updater's cohort of the caller, in [0, 1]. */
  cohort: number;
  now: number;
}

/**
 * The newest release (by version) the caller may receive: not above the company's pin, and inside
 * its rollout. A caller outside the newest release's rollout gets the one before it, not nothing.
 */
export function pickRelease(candidates: Candidate[], options: PickOptions): Candidate | null {
  const eligible = candidates
    .filter(
      (candidate) =>
        !options.pinnedVersion || compareVersions(candidate.release.version, options.pinnedVersion) <= 0,
    )
    .sort((a, b) => compareVersions(b.release.version, a.release.version));
  return (
    eligible.find((candidate) =>
      inRollout(effectivePercent(candidate.release, options.now), options.cohort),
    ) ?? null
  );
}

/** The highest minimum version among releases everyone on the chain receives (for force_update). */
export function channelMinimumVersion(
  published: (
    | Candidate["release"]
    | (Parameters<typeof effectivePercent>[0] & { minimumVersion: string | null })
  )[],
  now: number,
): string | null {
  let minimum: string | null = null;
  for (const release of published) {
    if (!release.minimumVersion || effectivePercent(release, now) < 100) continue;
    if (!minimum || compareVersions(release.minimumVersion, minimum) > 0) minimum = release.minimumVersion;
  }
  return minimum;
}

/** The newest version among releases everyone on the chain receives (rollout at 100 %). */
export function newestForEveryone(
  published: (Parameters<typeof effectivePercent>[0] & { version: string })[],
  now: number,
): string | null {
  let newest: string | null = null;
  for (const release of published) {
    if (effectivePercent(release, now) < 100) continue;
    if (!newest || compareVersions(release.version, newest) > 0) newest = release.version;
  }
  return newest;
}
