import { operation } from "../../lib/operation.ts";
import { createDraft } from "../../services/updates/release-changes.ts";
import { RELEASE_BODY_LIMIT } from "../../services/updates/releases.ts";

export const createRelease = operation(
  "createRelease",
  async (c, { body }) => ({ success: true, release: await createDraft(c, body) }),
  { bodyLimit: RELEASE_BODY_LIMIT },
);
