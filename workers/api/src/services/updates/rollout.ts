// Staged rollouts, decided on the server. The cohort is computed exactly as electron-updater's
// `AppUpdater.isStagingMatch` does from the `x-user-staging-id` header it sends with every feed
// request (a UUID the app keeps in `.updaterId`): the UUID's last four bytes as a big-endian uint32,
// divided by 0xffffffff, and a client is in the rollout when that fraction is below percent/100.
// The channel file then never carries `stagingPercentage`, so client and server cannot disagree.

export interface RolloutFields {
  rolloutPercent: number;
  rolloutRampSeconds: number | null;
  rolloutState: "active" | "paused" | "halted";
  rolloutStartedAt: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** electron-updater's cohort of a staging id in [0, 1], or null when it is not a UUID. */
export function stagingCohort(stagingId: string | undefined): number | null {
  const id = stagingId?.trim();
  if (!id || !UUID.test(id)) return null;
  // The last four bytes are the last eight hex digits, after the UUID's last dash.
  return Number.parseInt(id.slice(28), 16) / 0xffffffff;
}

// A pure function of the installation id, so kept per isolate without invalidation; bounded, the
// oldest entries go first.
const COHORT_CACHE_SIZE = 10_000;
const installationCohorts = new Map<string, number>();

/**
 * A stable cohort for callers without a staging id (the seed's JSON check): derived from the
 * installation id, so one installation always lands on the same side of a rollout.
 */
export async function installationCohort(installationId: string): Promise<number> {
  const known = installationCohorts.get(installationId);
  if (known !== undefined) return known;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(installationId));
  const cohort = new DataView(digest).getUint32(0) / 0xffffffff;
  if (installationCohorts.size >= COHORT_CACHE_SIZE) {
    const oldest = installationCohorts.keys().next().value;
    if (oldest !== undefined) installationCohorts.delete(oldest);
  }
  installationCohorts.set(installationId, cohort);
  return cohort;
}

/** The percentage of installations that receive the release at `now`. */
export function effectivePercent(release: RolloutFields, now: number): number {
  if (release.rolloutState === "halted") return 0;
  const start = Math.min(100, release.rolloutPercent);
  const ramp = release.rolloutRampSeconds;
  const startedAt = release.rolloutStartedAt?.getTime();
  if (release.rolloutState === "paused" || !ramp || startedAt === undefined) return start;
  const elapsed = Math.max(0, now - startedAt) / 1000;
  return Math.min(100, start + ((100 - start) * elapsed) / ramp);
}

/**
 * The rollout fields that hold it where it is now (pause and halt): the percentage reached
 * becomes the start and the ramp keeps only what is left, so a later resume continues the same
 * line instead of jumping ahead by the time spent paused.
 */
export function frozenRollout(
  release: RolloutFields,
  now: number,
): Pick<RolloutFields, "rolloutPercent" | "rolloutRampSeconds"> {
  const reached = effectivePercent({ ...release, rolloutState: "active" }, now);
  const ramp = release.rolloutRampSeconds;
  const start = release.rolloutPercent;
  const remaining =
    ramp && start < 100 && reached < 100 ? Math.round((ramp * (100 - reached)) / (100 - start)) : null;
  return { rolloutPercent: reached, rolloutRampSeconds: remaining };
}

/**
 * Whether a cohort receives a release rolled out to `percent`. 100 % means everyone — including
 * the single id whose cohort is exactly 1, which electron-updater's own `<` comparison would leave out.
 */
export function inRollout(percent: number, cohort: number): boolean {
  if (percent >= 100) return true;
  return cohort < percent / 100;
}
