import { operation } from "../../lib/operation.ts";
import { companyHub } from "../../services/hub.ts";

export const hubStats = operation("hubStats", async (c, { params }) => ({
  success: true,
  ...(await companyHub(c.env, params.companyId).stats(params.companyId)),
}));
