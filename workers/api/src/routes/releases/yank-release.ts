import { operation } from "../../lib/operation.ts";
import { yank } from "../../services/updates/release-changes.ts";

export const yankRelease = operation("yankRelease", async (c, { params, body }) => ({
  success: true,
  release: await yank(c, params.releaseId, body),
}));
