import { operation } from "../../lib/operation.ts";
import { releaseFile } from "../../services/updates/delivery.ts";
import { feedCaller } from "../../services/updates/feed-auth.ts";

export const updateDownload = operation("updateDownload", async (c, { params, query, caller }) =>
  releaseFile(c, await feedCaller(c, caller, query.company_code), params.fileName),
);
