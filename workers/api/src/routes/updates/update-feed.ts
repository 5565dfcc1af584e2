// electron-updater's generic provider: channel files are built per company and cohort, any other
// name is a release file streamed from R2.
import { operation } from "../../lib/operation.ts";
import { channelFile, releaseFile } from "../../services/updates/delivery.ts";
import { feedCaller } from "../../services/updates/feed-auth.ts";

export const updateFeed = operation("updateFeed", async (c, { params, query, caller }) => {
  const feed = await feedCaller(c, caller, query.company_code);
  return params.file.endsWith(".yml") ? channelFile(c, feed, params.file) : releaseFile(c, feed, params.file);
});
