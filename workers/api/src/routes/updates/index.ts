// Update delivery: the operators' statistics and per-company access, and the feed installations
// read (electron-updater's generic provider and the seed's JSON check), mounted by app.ts through
// ../index.ts.
import type { Operation } from "../../lib/operation.ts";
import { getUpdateAccess } from "./get-update-access.ts";
import { listCompanyReleases } from "./list-company-releases.ts";
import { setUpdateAccess } from "./set-update-access.ts";
import { updateCheck } from "./update-check.ts";
import { updateDownload } from "./update-download.ts";
import { updateFeed } from "./update-feed.ts";
import { updateStats } from "./update-stats.ts";

export const updatesOperations: Operation[] = [
  updateStats,
  getUpdateAccess,
  listCompanyReleases,
  setUpdateAccess,
  updateCheck,
  updateDownload,
  updateFeed,
];
