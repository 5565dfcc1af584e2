// Staged rollouts, decided on the server. The pure rules (electron-updater's cohort, the ramp, what
// pausing and halting freeze) live in @nexus/contracts (releases/rollout.ts), shared with the
// consumers' automatic halt; re-exported here so the API's imports stay as they were.
export {
  effectivePercent,
  frozenRollout,
  heldRollout,
  inRollout,
  type RolloutFields,
  stagingCohort,
} from "@nexus/contracts";

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
