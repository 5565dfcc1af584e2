import { operation } from "../../lib/operation.ts";
import { companyReleaseHealth } from "../../services/errors/release-health.ts";

export const getCompanyReleaseHealth = operation("getCompanyReleaseHealth", async (c, { params, query }) => ({
  success: true,
  releases: await companyReleaseHealth(c, params.companyId, query),
}));
