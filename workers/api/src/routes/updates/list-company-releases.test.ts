import { env } from "cloudflare:workers";
import type { Release } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { installersFor, publishRelease, stagingIdAt } from "../../../test/releases.ts";
import { companyOwner } from "../../../test/users.ts";
import { clearFeedCache } from "../../services/updates/feed.ts";
import { channelFile, joined } from "./fixtures.ts";

describe("a company's releases, as its dashboard users see them", () => {
  it("lists what the company receives with its rollout state and its own update counts, nothing more", async () => {
    const { company, auth } = await joined({ update_channel: "beta", admin_email: "owner@beta.example" });
    const other = await joined({ admin_email: "owner@stable.example" });
    await publishRelease("3.0.0", { files: installersFor("3.0.0", 61) });
    const beta = await publishRelease("3.1.0-beta.1", {
      channel: "beta",
      rollout: { percent: 40 },
      files: installersFor("3.1.0-beta.1", 62),
    });
    // A release on a channel the company does not receive stays out of its list.
    await callAsOperator("/api/admin/channels", { body: { name: "internal", parent: null } });
    await publishRelease("9.9.9", { channel: "internal", files: installersFor("9.9.9", 63) });
    clearFeedCache();
    await channelFile("beta.yml", auth, { "x-user-staging-id": stagingIdAt(0) });
    await channelFile("latest.yml", other.auth);
    // The hubs count checks after the responses and write them to D1 on their alarm.
    const { runDurableObjectAlarm } = await import("cloudflare:test");
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const id of [company.company_id, other.company.company_id]) {
      await runDurableObjectAlarm(env.COMPANY_HUB.get(env.COMPANY_HUB.idFromName(id)));
    }

    const owner = await companyOwner(company.company_id, "owner@beta.example");
    const response = await call(`/api/admin/companies/${company.company_id}/releases`, {
      headers: { cookie: owner },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const listed = await json<{
      update_channel: string;
      granted_channels: string[];
      channels: string[];
      releases: Release[];
      stats: { company_id: string; release_id: string; checks: number }[];
    }>(response);
    expect(listed.channels).toEqual(["beta", "stable"]);
    expect(listed).toMatchObject({ update_channel: "beta", granted_channels: [] });
    expect(listed.releases.map((release) => release.version)).toEqual(["3.1.0-beta.1", "3.0.0"]);
    expect(listed.releases[0]?.rollout).toMatchObject({ state: "active", percent: 40 });
    // Only this company's own checks: the other company's check of 3.0.0 (recorded) is not in it.
    const others = await json<{ rows: unknown[] }>(
      await callAsOperator(`/api/admin/update-stats?company_id=${other.company.company_id}`),
    );
    expect(others.rows).toHaveLength(1);
    expect(listed.stats.every((row) => row.company_id === company.company_id)).toBe(true);
    expect(listed.stats.find((row) => row.release_id === beta.id)?.checks).toBe(1);

    // Another company's owner gets nothing of it.
    const stranger = await companyOwner(other.company.company_id, "owner@stable.example");
    await expectError(
      await call(`/api/admin/companies/${company.company_id}/releases`, { headers: { cookie: stranger } }),
      404,
      "COMPANY_NOT_FOUND",
    );
  });
});
