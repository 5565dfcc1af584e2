import { operation } from "../../lib/operation.ts";
import { deactivateCompanyInstallation } from "../../services/installation-admin.ts";

export const deactivateInstallation = operation("deactivateInstallation", async (c, { params }) => ({
  success: true,
  installation: await deactivateCompanyInstallation(c, params.companyId, params.installationId),
}));
