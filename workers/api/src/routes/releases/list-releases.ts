import { operation } from "../../lib/operation.ts";
import { releasePage } from "../../services/updates/release-changes.ts";

export const listReleases = operation("listReleases", async (c, { query }) => ({
  success: true,
  ...(await releasePage(c, query)),
}));
