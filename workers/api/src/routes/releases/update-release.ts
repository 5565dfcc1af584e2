import { operation } from "../../lib/operation.ts";
import { editRelease } from "../../services/updates/release-changes.ts";
import { RELEASE_BODY_LIMIT } from "../../services/updates/releases.ts";

export const updateRelease = operation(
  "updateRelease",
  async (c, { params, body }) => ({ success: true, release: await editRelease(c, params.releaseId, body) }),
  { bodyLimit: RELEASE_BODY_LIMIT },
);
