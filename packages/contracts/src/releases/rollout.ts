// The pure rules of staged rollouts, shared by the API (operators' changes, the update feed) and
// workers/consumers (the automatic halt by release health), so both halt a rollout the same way.
// The cohort is computed exactly as electron-updater's `AppUpdater.isStagingMatch` does from the
// `x-user-staging-id` header it sends with every feed request (a UUID the app keeps in `.updaterId`):
// the UUID's last four bytes as a big-endian uint32, divided by 0xffffffff, and a client is in the
// rollout when that fraction is below percent/100. The channel file then never carries
// `stagingPercentage`, so client and server cannot disagree.

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
 * The change that pauses or halts a rollout. Halting from a pause keeps the paused position (an
 * active rollout is frozen where it is), so a resume continues from there.
 */
export function heldRollout(
  release: RolloutFields,
  state: "paused" | "halted",
  now: number,
): Partial<RolloutFields> {
  return {
    ...(release.rolloutState === "active" ? frozenRollout(release, now) : {}),
    rolloutState: state,
    rolloutStartedAt: null,
  };
}

/**
 * Whether a cohort receives a release rolled out to `percent`. 100 % means everyone — including
 * the single id whose cohort is exactly 1, which electron-updater's own `<` comparison would leave out.
 */
export function inRollout(percent: number, cohort: number): boolean {
  if (percent >= 100) return true;
  return cohort < percent / 100;
}

export interface ChannelTree {
  /** The channel itself, then its parent, grandparent, … */
  chain(channel: string): string[];
  /** The channel and every channel whose chain contains it (who receives a release made on it). */
  receivers(channel: string): string[];
  has(channel: string): boolean;
}

/** The channel tree: a channel's subscribers also receive its parent's releases (beta → stable). */
export function channelTree(rows: { name: string; parent: string | null }[]): ChannelTree {
  const parents = new Map(rows.map((row) => [row.name, row.parent]));
  const chain = (channel: string): string[] => {
    const names: string[] = [];
    // The length bound stops a cycle an operator might have made by hand in SQL.
    for (let name: string | null | undefined = channel; name && names.length <= parents.size; ) {
      if (!parents.has(name) || names.includes(name)) break;
      names.push(name);
      name = parents.get(name);
    }
    return names;
  };
  return {
    chain,
    receivers: (channel) => [...parents.keys()].filter((name) => chain(name).includes(channel)),
    has: (channel) => parents.has(channel),
  };
}
