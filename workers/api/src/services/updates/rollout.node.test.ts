// The server's rollout cohorts must be electron-updater's: checked against builder-util-runtime's
// own UUID parsing and AppUpdater's formula, for random ids and the ids on either side of a boundary.
import { createHash, randomUUID } from "node:crypto";
import { UUID } from "builder-util-runtime";
import { describe, expect, it } from "vitest";
import { effectivePercent, frozenRollout, inRollout, installationCohort, stagingCohort } from "./rollout.ts";

/** AppUpdater.isStagingMatch (electron-updater 6.8), given the percentage it would read from the channel file. */
function electronUpdaterMatches(stagingId: string, percent: number): boolean {
  const value = UUID.parse(stagingId).readUInt32BE(12);
  return value / 0xffffffff < percent / 100;
}

const idEndingWith = (hex: string) => `6f1c2a4e-3b7d-4c9a-8e21-0a5d${hex}`;

describe("staging cohorts", () => {
  it("agrees with electron-updater for random ids and percentages", () => {
    for (let i = 0; i < 2000; i++) {
      const id = randomUUID();
      const percent = (i % 101) + (i % 7) / 10;
      const cohort = stagingCohort(id);
      if (cohort === null) throw new Error(id);
      if (percent < 100)
        expect(inRollout(percent, cohort), `${id} at ${percent}`).toBe(electronUpdaterMatches(id, percent));
    }
  });

  it("puts the boundary ids on the same side as electron-updater", () => {
    for (const [hex, percent] of [
      ["7fffffff", 50],
      ["80000000", 50],
      ["00000000", 0],
      ["00000001", 0.0000001],
      ["19999999", 10],
      ["1999999a", 10],
    ] as const) {
      const id = idEndingWith(hex);
      expect(inRollout(percent, stagingCohort(id) ?? -1), `${hex} at ${percent}`).toBe(
        electronUpdaterMatches(id, percent),
      );
    }
    // At 100 % everyone gets it, including the one id electron-updater's `<` would leave out.
    expect(electronUpdaterMatches(idEndingWith("ffffffff"), 100)).toBe(false);
    expect(inRollout(100, stagingCohort(idEndingWith("ffffffff")) ?? -1)).toBe(true);
  });

  it("rejects ids that are not UUIDs", () => {
    for (const id of ["", "not-a-uuid", "6f1c2a4e3b7d4c9a8e210a5d7fffffff", `${randomUUID()}x`]) {
      expect(stagingCohort(id)).toBeNull();
    }
  });
});

describe("installation cohorts", () => {
  it("gives each installation its id's SHA-256 cohort, again from the isolate's memo", async () => {
    const ids = Array.from({ length: 50 }, () => randomUUID());
    const expected = ids.map((id) => createHash("sha256").update(id).digest().readUInt32BE(0) / 0xffffffff);
    for (let round = 0; round < 2; round++) {
      // Interleaved, so a memo answering another id's cohort would show.
      for (const [index, id] of ids.entries()) expect(await installationCohort(id)).toBe(expected[index]);
    }
  });
});

describe("rollout percentage over time", () => {
  const hour = 3600 * 1000;
  const start = new Date("2026-11-01T00:00:00Z");
  const ramping = {
    rolloutPercent: 10,
    rolloutRampSeconds: 10 * 3600,
    rolloutState: "active" as const,
    rolloutStartedAt: start,
  };

  it("ramps linearly to 100 and stays there", () => {
    expect(effectivePercent(ramping, start.getTime())).toBe(10);
    expect(effectivePercent(ramping, start.getTime() + 5 * hour)).toBe(55);
    expect(effectivePercent(ramping, start.getTime() + 20 * hour)).toBe(100);
    expect(effectivePercent({ ...ramping, rolloutState: "halted" }, start.getTime() + 5 * hour)).toBe(0);
  });

  it("freezes where it is and keeps the remaining ramp for a resume", () => {
    const frozen = frozenRollout(ramping, start.getTime() + 5 * hour);
    expect(frozen).toEqual({ rolloutPercent: 55, rolloutRampSeconds: 5 * 3600 });
    const resumedAt = new Date(start.getTime() + 50 * hour);
    const resumed = { ...ramping, ...frozen, rolloutStartedAt: resumedAt };
    expect(effectivePercent({ ...resumed, rolloutState: "paused" }, resumedAt.getTime() + hour)).toBe(55);
    expect(effectivePercent(resumed, resumedAt.getTime() + 2.5 * hour)).toBeCloseTo(77.5, 5);
  });
});
