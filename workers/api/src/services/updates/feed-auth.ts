// Who is asking the feed: the company (by code, query or X-Company-Code) and the installation
// (its access token, as Authorization: Bearer or ?token= — electron-updater copies the feed URL's
// query onto every URL it derives, so either works for every request it makes).
import { CompanyCodeSchema } from "@nexus/contracts";
import type { Context } from "hono";
import { type AppEnv, getConfig } from "../../env.ts";
import { ApiError, revalidate } from "../../lib/errors.ts";
import { bearerToken } from "../../middleware/auth.ts";
import { assertCompanyUsable } from "../companies.ts";
import { verifyInstallationToken } from "../installation-tokens.ts";
import { cachedFeedCompany, type FeedCompany } from "./feed.ts";

export interface FeedCaller {
  feed: FeedCompany;
  installationId: string;
}

export async function feedCaller(c: Context<AppEnv>): Promise<FeedCaller> {
  const code = c.req.query("company_code") ?? c.req.header("x-company-code");
  if (!code) {
    throw new ApiError(
      "VALIDATION_FAILED",
      "Say which company: add ?company_code=<code> to the feed URL or send X-Company-Code.",
    );
  }
  const parsed = CompanyCodeSchema.safeParse(code);
  const feed = parsed.success ? await cachedFeedCompany(c.get("db"), parsed.data) : null;
  if (!feed) throw new ApiError("COMPANY_NOT_FOUND", "No company has this code. Check the company code.");
  assertCompanyUsable(feed.company);
  const token = bearerToken(c) ?? c.req.query("token");
  if (!token) {
    throw new ApiError(
      "UNAUTHORIZED",
      "Send the installation token from /api/company/validate as `Authorization: Bearer <token>` (or ?token=).",
      revalidate,
    );
  }
  const claims = await verifyInstallationToken(getConfig(c.env).JWT_SIGNING_KEYS, token);
  if (claims.companyId !== feed.company.id) {
    throw new ApiError(
      "INVALID_TOKEN",
      "This installation token belongs to another company. Validate again.",
      revalidate,
    );
  }
  c.set("actor", { type: "installation", id: claims.installationId });
  return { feed, installationId: claims.installationId };
}
