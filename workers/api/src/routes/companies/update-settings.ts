import { operation } from "../../lib/operation.ts";
import { updateCompanySettings } from "../../services/company-admin.ts";

export const updateSettings = operation(
  "updateSettings",
  async (c, { params, body }) => {
    const { company, pushedTo } = await updateCompanySettings(c, params.companyId, body);
    return { success: true, company, pushed_to: pushedTo };
  },
  // Settings may carry a logo as a data URL (packages/contracts/src/shared/logo.ts).
  { bodyLimit: 256 * 1024 },
);
