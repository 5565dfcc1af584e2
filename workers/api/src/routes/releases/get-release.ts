import { operation } from "../../lib/operation.ts";
import { loadRelease, toReleaseView } from "../../services/updates/releases.ts";

export const getRelease = operation("getRelease", async (c, { params }) => {
  const loaded = await loadRelease(c.get("db"), params.releaseId);
  return { success: true, release: toReleaseView(loaded.release, loaded.files) };
});
