import { operation } from "../../lib/operation.ts";
import { setCompanySuspension } from "../../services/company-admin.ts";

export const suspendCompany = operation("suspendCompany", async (c, { params, body }) => ({
  success: true,
  company: await setCompanySuspension(c, params.companyId, { reason: body.reason ?? null }),
}));
