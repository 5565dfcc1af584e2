// What the feed serves a company: the newest published release it may receive on a channel, for
// a platform, inside the caller's rollout cohort — rendered as electron-updater's channel file.
import { CompanyCodeSchema, compareVersions, type UpdatePlatform } from "@nexus/contracts";
import { type companies, companyUpdateAccess, releaseFiles, releases } from "@nexus/db/central";
import { and, desc, eq, inArray, isNotNull, or } from "drizzle-orm";
import type { CentralDb } from "../../env.ts";
import { isolateCache } from "../../lib/isolate-cache.ts";
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

/** A cached candidate query, with what every request would otherwise recompute from it. */
export interface CandidateSet {
  /** The candidates not above `pinnedVersion` (all when null), newest version first. */
  eligible(pinnedVersion: string | null): readonly Candidate[];
}

/**
 * Sorts once per set and pin instead of once per request. Still filter, then sort, per pin:
 * compareVersions is not a total order for every odd pre-release tag (`-10`, `-9`, `-1a`), so one
 * sort filtered per pin could order some sets differently from what a request used to compute.
 */
export function candidateSet(candidates: readonly Candidate[]): CandidateSet {
  const byPin = new Map<string, readonly Candidate[]>();
  return {
    eligible(pinnedVersion) {
      const pin = pinnedVersion ?? "";
      let eligible = byPin.get(pin);
      if (!eligible) {
        eligible = candidates
          .filter((candidate) => !pin || compareVersions(candidate.release.version, pin) <= 0)
          .sort((a, b) => compareVersions(b.release.version, a.release.version));
        byPin.set(pin, eligible);
      }
      return eligible;
    },
  };
}

// Releases, channels and companies' update settings change only through the operators' routes;
// an isolate keeps what it read for a few seconds (clearFeedCache() drops it at once when a change
// is made in the same isolate; other isolates see it within FEED_CACHE_MS). What is derived from
// the cached objects (sorted candidates, receivable channels, rendered channel files) hangs off
// those objects, so it is dropped with them and needs no invalidation of its own.
const FEED_CACHE_MS = 5_000;
const candidateCache = isolateCache<CandidateSet>(FEED_CACHE_MS);
const companyCache = isolateCache<FeedCompany | null>(FEED_CACHE_MS);
const treeCache = isolateCache<ChannelTree>(FEED_CACHE_MS, 1);

export function clearFeedCache(): void {
  candidateCache.clear();
  companyCache.clear();
  treeCache.clear();
}

export function cachedChannelTree(db: CentralDb, now = Date.now()): Promise<ChannelTree> {
  return treeCache.get("tree", () => loadChannelTree(db), now);
}

/**
 * The company a feed request names, by the code as sent: a hit skips the code's validation too. A
 * code that is not valid is remembered as no company, like an unknown one (the cache is bounded, and
 * codes cannot be long: the query caps them, and a header value is trimmed by HTTP).
 */
export function cachedFeedCompany(
  db: CentralDb,
  sentCode: string,
  now = Date.now(),
): Promise<FeedCompany | null> {
  return companyCache.get(
    sentCode,
    async () => {
      const parsed = CompanyCodeSchema.safeParse(sentCode);
      return parsed.success ? loadFeedCompany(db, parsed.data) : null;
    },
    now,
  );
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

// receivableChannels' answers per cached company and channel, for the cached tree they were
// computed from: a new company row or a new tree (each reloaded on its own) starts afresh.
const receivable = new WeakMap<
  FeedCompany,
  { tree: ChannelTree; byChannel: Map<string, readonly string[] | null> }
>();

/**
 * The channels whose releases a company receives when its app asks for `channel` (an existing
 * channel), or null if not allowed.
 */
export function receivableChannels(
  tree: ChannelTree,
  feed: FeedCompany,
  channel: string,
): readonly string[] | null {
  let memo = receivable.get(feed);
  if (memo?.tree !== tree) {
    memo = { tree, byChannel: new Map() };
    receivable.set(feed, memo);
  }
  let channels = memo.byChannel.get(channel);
  if (channels === undefined) {
    channels = computeReceivableChannels(tree, feed, channel);
    memo.byChannel.set(channel, channels);
  }
  return channels;
}

function computeReceivableChannels(tree: ChannelTree, feed: FeedCompany, channel: string): string[] | null {
  const allowed = [feed.company.updateChannel, ...feed.granted];
  // A subscriber of beta may also ask for stable (latest.yml): it is part of beta's chain.
  const mayAsk = allowed.some((name) => tree.chain(name).includes(channel));
  return mayAsk ? tree.chain(channel) : null;
}

export function loadCandidates(
  db: CentralDb,
  channels: readonly string[],
  platform: UpdatePlatform,
  now = Date.now(),
): Promise<CandidateSet> {
  return candidateCache.get(
    `${platform}|${channels.join(",")}`,
    () => queryCandidates(db, channels, platform),
    now,
  );
}

async function queryCandidates(
  db: CentralDb,
  channels: readonly string[],
  platform: UpdatePlatform,
): Promise<CandidateSet> {
  const newest = db
    .select({ id: releases.id })
    .from(releases)
    .where(and(eq(releases.status, "published"), inArray(releases.channel, [...channels])))
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
  return candidateSet(
    [...byId.values()].filter((candidate) => candidate.files.some((file) => file.kind === "artifact")),
  );
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
export function pickRelease(candidates: CandidateSet, options: PickOptions): Candidate | null {
  for (const candidate of candidates.eligible(options.pinnedVersion)) {
    if (inRollout(effectivePercent(candidate.release, options.now), options.cohort)) return candidate;
  }
  return null;
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
