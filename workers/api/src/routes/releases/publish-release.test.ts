import { env } from "cloudflare:workers";
import type { Release } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { upload } from "../../../test/releases.ts";
import { draft } from "./fixtures.ts";

describe("publishing", () => {
  it("creates a draft, uploads its files into R2 and publishes it", async () => {
    const { release, files } = await draft("1.0.0");
    expect(release).toMatchObject({ status: "draft", channel: "stable", version: "1.0.0" });
    expect(release.files.every((file) => !file.uploaded)).toBe(true);
    const [first] = files;
    if (!first) throw new Error("no files");
    const uploaded = await upload(release.id, first.name, first.bytes);
    expect(await json(uploaded)).toMatchObject({ file: { name: first.name, uploaded: true } });
    const stored = await env.ARTIFACTS.get(`releases/${release.id}/${first.name}`);
    expect(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(first.bytes);

    const early = await callAsOperator(`/api/admin/releases/${release.id}/publish`, { body: {} });
    await expectError(early, 409, "UPLOAD_INCOMPLETE");
    for (const file of files.slice(1)) await upload(release.id, file.name, file.bytes);
    const published = await callAsOperator(`/api/admin/releases/${release.id}/publish`, {
      body: { rollout: { percent: 25, ramp_hours: 48 } },
    });
    expect((await json<{ release: Release }>(published)).release).toMatchObject({
      status: "published",
      rollout: { state: "active", percent: 25, ramp_hours: 48 },
    });
    await expectError(
      await callAsOperator(`/api/admin/releases/${release.id}/publish`, { body: {} }),
      409,
      "RELEASE_STATE_CONFLICT",
    );
    // A published release takes no more bytes.
    await expectError(await upload(release.id, first.name, first.bytes), 409, "RELEASE_STATE_CONFLICT");
    const listed = await json<{ releases: Release[] }>(
      await callAsOperator("/api/admin/releases?channel=stable&version=1.0.0"),
    );
    expect(listed.releases.map((r) => r.id)).toEqual([release.id]);
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT action FROM audit_logs WHERE target_id = ? ORDER BY id",
    )
      .bind(release.id)
      .all<{ action: string }>();
    expect(audit.results.map((row) => row.action)).toEqual(["release.created", "release.published"]);
  });
});
