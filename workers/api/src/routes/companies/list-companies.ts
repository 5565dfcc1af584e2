import { operation } from "../../lib/operation.ts";
import { companyPage } from "../../services/company-admin.ts";

export const listCompanies = operation("listCompanies", async (c, { query }) => {
  const page = await companyPage(c.get("db"), query);
  return { success: true, companies: page.companies, next_cursor: page.nextCursor };
});
