import { operation } from "../../lib/operation.ts";
import { updateCompanyPlan } from "../../services/company-admin.ts";

export const updateCompany = operation("updateCompany", async (c, { params, body }) => ({
  success: true,
  company: await updateCompanyPlan(c, params.companyId, body),
}));
