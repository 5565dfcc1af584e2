import { operation } from "../../lib/operation.ts";
import { changeReleaseRollout } from "../../services/updates/release-changes.ts";

export const changeRollout = operation("changeRollout", async (c, { params, body }) => ({
  success: true,
  release: await changeReleaseRollout(c, params.releaseId, body),
}));
