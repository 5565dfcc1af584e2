// Whose feed an installation reads: the company named by its code (query `company_code` or
// X-Company-Code), which must be the company of the installation token the access guard verified.
// The company comes from the feed's cache (cachedFeedCompany, which also validates the code), so
// the update check, the hottest path, adds no D1 query here.
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError, revalidate } from "../../lib/errors.ts";
import type { InstallationCaller } from "../../middleware/caller.ts";
import { assertCompanyUsable } from "../companies.ts";
import { cachedFeedCompany, type FeedCompany } from "./feed.ts";

export interface FeedCaller {
  feed: FeedCompany;
  installationId: string;
}

/** `companyCode` is the validated query's; the header is the fallback. */
export async function feedCaller(
  c: Context<AppEnv>,
  installation: InstallationCaller,
  companyCode: string | undefined,
): Promise<FeedCaller> {
  const code = companyCode ?? c.req.header("x-company-code");
  if (!code) {
    throw new ApiError(
      "VALIDATION_FAILED",
      "Say which company: add ?company_code=<code> to the feed URL or send X-Company-Code.",
    );
  }
  const feed = await cachedFeedCompany(c.get("db"), code);
  if (!feed) throw new ApiError("COMPANY_NOT_FOUND", "No company has this code. Check the company code.");
  // Checked before the company's state, so one company's token learns nothing about another's.
  if (installation.companyId !== feed.company.id) {
    throw new ApiError(
      "INVALID_TOKEN",
      "This installation token belongs to another company. Validate again.",
      revalidate,
    );
  }
  assertCompanyUsable(feed.company);
  return { feed, installationId: installation.installationId };
}
