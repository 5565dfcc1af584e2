// The company facts a CompanyHub answers heartbeats from, loaded from the central D1 when the
// object starts, when an admin change invalidates them, and at most every few minutes otherwise
// (a safety net should an invalidation be lost).
import {
  compareVersions,
  defaultRateLimits,
  type RateLimitName,
  type RateLimitPolicy,
} from "@nexus/contracts";
import { companies, rateLimitOverrides, releases } from "@nexus/db/central";
import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CentralDb } from "../env.ts";
import { loadChannelTree } from "../services/updates/channels.ts";
import { channelMinimumVersion, newestForEveryone } from "../services/updates/feed.ts";

export interface CompanyState {
  companyId: string;
  companyCode: string;
  settings: Record<string, unknown>;
  settingsVersion: number;
  minimumAppVersion: string | null;
  /** The highest minimum version of releases everyone on the company's channel receives. */
  channelMinimumVersion: string | null;
  /** The newest release everyone on the company's channel receives (heartbeats' latest_version). */
  latestVersion: string | null;
  updateChannel: string;
  maxInstallations: number;
  tier: string;
  suspended: boolean;
  expiresAt: number | null;
  limits: Record<RateLimitName, RateLimitPolicy>;
  loadedAt: number;
}

export const COMPANY_STATE_TTL_MS = 5 * 60 * 1000;

const isRateLimitName = (name: string): name is RateLimitName => name in defaultRateLimits;

/** Per-tier limits: the defaults with the operators' overrides applied. */
export async function loadTierLimits(
  d1: D1Database,
  tier: string,
): Promise<Record<RateLimitName, RateLimitPolicy>> {
  const overrides = await drizzle(d1)
    .select({
      name: rateLimitOverrides.name,
      limit: rateLimitOverrides.limit,
      windowSeconds: rateLimitOverrides.windowSeconds,
    })
    .from(rateLimitOverrides)
    .where(eq(rateLimitOverrides.tier, tier));
  const limits = { ...defaultRateLimits };
  for (const row of overrides) {
    if (isRateLimitName(row.name)) limits[row.name] = { limit: row.limit, window_seconds: row.windowSeconds };
  }
  return limits;
}

/**
 * From the published releases on the channel and its parents (beta also gets stable's): the highest
 * minimum version and the newest version among those everyone receives.
 */
async function loadChannelVersions(
  db: CentralDb,
  channel: string,
): Promise<{ channelMinimumVersion: string | null; latestVersion: string | null }> {
  const chain = (await loadChannelTree(db)).chain(channel);
  const published =
    chain.length === 0
      ? []
      : await db
          .select({
            version: releases.version,
            minimumVersion: releases.minimumVersion,
            rolloutPercent: releases.rolloutPercent,
            rolloutRampSeconds: releases.rolloutRampSeconds,
            rolloutState: releases.rolloutState,
            rolloutStartedAt: releases.rolloutStartedAt,
          })
          .from(releases)
          .where(and(eq(releases.status, "published"), inArray(releases.channel, chain)));
  const now = Date.now();
  return {
    channelMinimumVersion: channelMinimumVersion(published, now),
    latestVersion: newestForEveryone(published, now),
  };
}

export async function loadCompanyState(d1: D1Database, companyId: string): Promise<CompanyState | null> {
  const db = drizzle(d1);
  const [row] = await db
    .select({
      id: companies.id,
      companyCode: companies.companyCode,
      settings: companies.settings,
      settingsVersion: companies.settingsVersion,
      minimumAppVersion: companies.minimumAppVersion,
      updateChannel: companies.updateChannel,
      maxInstallations: companies.maxInstallations,
      tier: companies.subscriptionTier,
      suspendedAt: companies.suspendedAt,
      expiresAt: companies.expiresAt,
    })
    .from(companies)
    .where(eq(companies.id, companyId))
    .limit(1);
  if (!row) return null;
  return {
    companyId: row.id,
    companyCode: row.companyCode,
    settings: row.settings,
    settingsVersion: row.settingsVersion,
    minimumAppVersion: row.minimumAppVersion,
    ...(await loadChannelVersions(db, row.updateChannel)),
    updateChannel: row.updateChannel,
    maxInstallations: row.maxInstallations,
    tier: row.tier,
    suspended: row.suspendedAt !== null,
    expiresAt: row.expiresAt?.getTime() ?? null,
    limits: await loadTierLimits(d1, row.tier),
    loadedAt: Date.now(),
  };
}

/** The version below which apps must update: the company's own minimum or its channel's, whichever is higher. */
export function requiredVersion(company: CompanyState): string | null {
  const { minimumAppVersion: own, channelMinimumVersion: channel } = company;
  if (!own || !channel) return own ?? channel;
  return compareVersions(own, channel) >= 0 ? own : channel;
}

export function belowMinimum(appVersion: string, company: CompanyState): boolean {
  const minimum = requiredVersion(company);
  return minimum !== null && compareVersions(appVersion, minimum) < 0;
}
