import { operation } from "../../lib/operation.ts";
import { getCompanyView } from "../../services/companies.ts";

export const getCompany = operation("getCompany", async (c, { params }) => ({
  success: true,
  company: await getCompanyView(c, params.companyId),
}));
