import { operation } from "../../lib/operation.ts";
import { publishDraft } from "../../services/updates/release-changes.ts";

export const publishRelease = operation("publishRelease", async (c, { params, body }) => ({
  success: true,
  release: await publishDraft(c, params.releaseId, body),
}));
