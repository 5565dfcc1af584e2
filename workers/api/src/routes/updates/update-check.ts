// The seed's JSON update check, the hottest path of the API: everything it reads comes from the
// feed's caches (no D1 query of its own).

import { compareVersions } from "@nexus/contracts";
import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { higher, releaseFor } from "../../services/updates/delivery.ts";
import { feedCaller } from "../../services/updates/feed-auth.ts";
import { installationCohort } from "../../services/updates/rollout.ts";

export const updateCheck = operation("updateCheck", async (c, { query, caller }) => {
  const feed = await feedCaller(c, caller, query.company_code);
  const channel = query.channel === "latest" ? "stable" : query.channel;
  const picked = await releaseFor(
    c,
    feed,
    channel,
    query.platform,
    await installationCohort(feed.installationId),
  );
  const installer = picked.files.find((file) => file.kind === "artifact");
  if (!installer) throw new ApiError("RELEASE_NOT_FOUND", "The release has no installer for this platform.");
  const url = new URL(`/api/updates/download/${encodeURIComponent(installer.name)}`, c.req.url);
  url.searchParams.set("company_code", feed.feed.company.companyCode);
  const { release } = picked;
  return {
    success: true,
    update_available: compareVersions(release.version, query.version) > 0,
    version: release.version,
    releaseDate: (release.releaseDate ?? release.publishedAt ?? new Date(0)).toISOString(),
    releaseName: release.name,
    releaseNotes: release.notes,
    mandatory: release.mandatory,
    minimumVersion: higher(release.minimumVersion, feed.feed.company.minimumAppVersion),
    url: url.toString(),
    sha512: installer.sha512,
    size: installer.size,
  };
});
