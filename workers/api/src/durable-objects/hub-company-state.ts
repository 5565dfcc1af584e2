// The company facts a CompanyHub answers heartbeats from, loaded from the central D1 when the
// object starts, when an admin change invalidates them, and at most every few minutes otherwise
// (a safety net should an invalidation be lost).
import { defaultRateLimits, type RateLimitName, type RateLimitPolicy } from "@nexus/contracts";
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

interface CompanyRow {
  id: string;
  company_code: string;
  settings: string;
  settings_version: number;
  minimum_app_version: string | null;
  update_channel: string;
  max_installations: number;
  subscription_tier: string;
  suspended_at: number | null;
  expires_at: number | null;
}

/** Per-tier limits: the defaults with the operators' overrides applied. */
export async function loadTierLimits(
  db: D1Database,
  tier: string,
): Promise<Record<RateLimitName, RateLimitPolicy>> {
  const { results } = await db
    .prepare('SELECT name, "limit", window_seconds FROM rate_limit_overrides WHERE tier = ?')
    .bind(tier)
    .all<{ name: RateLimitName; limit: number; window_seconds: number }>();
  const limits = { ...defaultRateLimits };
  for (const row of results) {
    if (row.name in limits) limits[row.name] = { limit: row.limit, window_seconds: row.window_seconds };
  }
  return limits;
}

/**
 * From the published releases on the channel and its parents (beta also gets stable's): the highest
 * minimum version and the newest version among those everyone receives.
 */
async function loadChannelVersions(
  db: D1Database,
  channel: string,
): Promise<{ channelMinimumVersion: string | null; latestVersion: string | null }> {
  const { results } = await db
    .prepare(
      `WITH RECURSIVE chain(name) AS (
         SELECT ?1 UNION SELECT c.parent FROM update_channels c JOIN chain ON c.name = chain.name WHERE c.parent IS NOT NULL)
       SELECT version, minimum_version, rollout_percent, rollout_ramp_seconds, rollout_state, rollout_started_at
       FROM releases WHERE status = 'published' AND channel IN (SELECT name FROM chain)`,
    )
    .bind(channel)
    .all<{
      version: string;
      minimum_version: string | null;
      rollout_percent: number;
      rollout_ramp_seconds: number | null;
      rollout_state: "active" | "paused" | "halted";
      rollout_started_at: number | null;
    }>();
  const published = results.map((row) => ({
    version: row.version,
    minimumVersion: row.minimum_version,
    rolloutPercent: row.rollout_percent,
    rolloutRampSeconds: row.rollout_ramp_seconds,
    rolloutState: row.rollout_state,
    rolloutStartedAt: row.rollout_started_at === null ? null : new Date(row.rollout_started_at),
  }));
  const now = Date.now();
  return {
    channelMinimumVersion: channelMinimumVersion(published, now),
    latestVersion: newestForEveryone(published, now),
  };
}

export async function loadCompanyState(db: D1Database, companyId: string): Promise<CompanyState | null> {
  const row = await db
    .prepare(
      `SELECT id, company_code, settings, settings_version, minimum_app_version, update_channel,
              max_installations, subscription_tier, suspended_at, expires_at
       FROM companies WHERE id = ?`,
    )
    .bind(companyId)
    .first<CompanyRow>();
  if (!row) return null;
  return {
    companyId: row.id,
    companyCode: row.company_code,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    settingsVersion: row.settings_version,
    minimumAppVersion: row.minimum_app_version,
    ...(await loadChannelVersions(db, row.update_channel)),
    updateChannel: row.update_channel,
    maxInstallations: row.max_installations,
    tier: row.subscription_tier,
    suspended: row.suspended_at !== null,
    expiresAt: row.expires_at,
    limits: await loadTierLimits(db, row.subscription_tier),
    loadedAt: Date.now(),
  };
}
