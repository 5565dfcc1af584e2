import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callAsOperator, json } from "../../../test/helpers.ts";
import { feed } from "../../../test/releases.ts";
import { ARTIFACT, publishedArtifact } from "./fixtures.ts";

describe("update counters", () => {
  it("counts checks, downloads and ranged requests per company, release and day, written by the hub's alarm", async () => {
    const { company, release, auth } = await publishedArtifact();
    await (await feed("latest.yml", auth)).text();
    await (await feed("latest.yml", auth)).text();
    await (await feed(ARTIFACT, auth)).arrayBuffer();
    await (await feed(ARTIFACT, auth, { range: "bytes=0-9, 20-29" })).arrayBuffer();
    await (await feed(ARTIFACT, auth, { range: "bytes=30-39" })).arrayBuffer();
    // Nothing reached D1 on the request path.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = await env.CENTRAL_DB.prepare("SELECT count(*) AS n FROM update_stats").first<{
      n: number;
    }>();
    expect(before?.n).toBe(0);

    const { runDurableObjectAlarm } = await import("cloudflare:test");
    const hub = env.COMPANY_HUB.get(env.COMPANY_HUB.idFromName(company.company_id));
    // The counts arrive after the responses (waitUntil); give them a moment, then run the alarm.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    const stats = await json<{ rows: Record<string, unknown>[] }>(
      await callAsOperator(`/api/admin/update-stats?company_id=${company.company_id}`),
    );
    expect(stats.rows).toEqual([
      {
        company_id: company.company_id,
        release_id: release.id,
        version: "2.0.0",
        day: new Date().toISOString().slice(0, 10),
        checks: 2,
        // One full download and one differential (two ranged requests).
        downloads: 2,
        range_requests: 2,
      },
    ]);
  });
});
