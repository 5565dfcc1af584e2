import { env } from "cloudflare:workers";
import type { Release } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { publishRelease } from "../../../test/releases.ts";

describe("editing releases", () => {
  it("edits a release's notes and mandatory flag", async () => {
    const release = await publishRelease("1.2.0");
    const edited = await callAsOperator(`/api/admin/releases/${release.id}`, {
      method: "PATCH",
      body: { notes: "Now with notes", mandatory: true },
    });
    expect((await json<{ release: Release }>(edited)).release).toMatchObject({
      notes: "Now with notes",
      mandatory: true,
    });
    await expectError(await callAsOperator("/api/admin/releases/nope"), 404, "RELEASE_NOT_FOUND");
  });

  it("sets and clears the automatic halt by release health, and refuses thresholds out of range", async () => {
    const release = await publishRelease("1.2.1");
    expect(release).toMatchObject({
      health_halt_below: null,
      health_min_sessions: 100,
      halted_by_health_at: null,
    });
    const patch = (body: unknown) =>
      callAsOperator(`/api/admin/releases/${release.id}`, { method: "PATCH", body });
    const set = await patch({ health_halt_below: 97.5, health_min_sessions: 500 });
    expect(set.status, await set.clone().text()).toBe(200);
    expect((await json<{ release: Release }>(set)).release).toMatchObject({
      health_halt_below: 97.5,
      health_min_sessions: 500,
      halted_by_health_at: null,
    });
    // Halted by health, then re-armed: a new threshold clears the record so it can halt again.
    await env.CENTRAL_DB.prepare("UPDATE releases SET halted_by_health_at = ? WHERE id = ?")
      .bind(Date.now(), release.id)
      .run();
    const renamed = await json<{ release: Release }>(await patch({ name: "Renamed" }));
    expect(renamed.release.halted_by_health_at).not.toBeNull();
    const rearmed = await json<{ release: Release }>(await patch({ health_halt_below: 98 }));
    expect(rearmed.release).toMatchObject({ health_halt_below: 98, halted_by_health_at: null });
    const cleared = await json<{ release: Release }>(await patch({ health_halt_below: null }));
    expect(cleared.release).toMatchObject({ health_halt_below: null, health_min_sessions: 500 });
    for (const bad of [
      { health_halt_below: 100.5 },
      { health_halt_below: -1 },
      { health_halt_below: "97" },
      { health_min_sessions: 0 },
      { health_min_sessions: 1.5 },
    ]) {
      await expectError(await patch(bad), 400, "VALIDATION_FAILED");
    }
    const got = await json<{ release: Release }>(await callAsOperator(`/api/admin/releases/${release.id}`));
    expect(got.release).toMatchObject({ health_halt_below: null, health_min_sessions: 500 });
  });
});
