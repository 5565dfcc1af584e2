import { operation } from "../../lib/operation.ts";
import { accessView, releasesOn } from "../../services/updates/access.ts";
import { loadChannelTree } from "../../services/updates/channels.ts";
import { queryUpdateStats } from "../../services/updates/stats.ts";

const DAY_MS = 86_400_000;

export const listCompanyReleases = operation("listCompanyReleases", async (c, { params, query }) => {
  const { companyId } = params;
  const access = await accessView(c, companyId);
  const db = c.get("db");
  const tree = await loadChannelTree(db);
  // A channel's subscribers also receive its parents' releases (beta → stable).
  const channels = [...new Set(access.channels.flatMap((channel) => tree.chain(channel)))];
  const from = new Date(Date.now() - (query.days - 1) * DAY_MS).toISOString().slice(0, 10);
  return {
    success: true,
    update_channel: access.update_channel,
    granted_channels: access.channels.filter((channel) => channel !== access.update_channel),
    channels,
    pinned_version: access.pinned_version,
    releases: await releasesOn(db, channels),
    stats: await queryUpdateStats(db, { company_id: companyId, from }),
  };
});
