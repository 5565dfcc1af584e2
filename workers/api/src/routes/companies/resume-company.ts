import { operation } from "../../lib/operation.ts";
import { setCompanySuspension } from "../../services/company-admin.ts";

export const resumeCompany = operation("resumeCompany", async (c, { params }) => ({
  success: true,
  company: await setCompanySuspension(c, params.companyId, null),
}));
