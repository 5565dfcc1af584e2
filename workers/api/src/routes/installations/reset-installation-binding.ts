import { operation } from "../../lib/operation.ts";
import { resetCompanyInstallationBinding } from "../../services/installation-admin.ts";

export const resetInstallationBinding = operation("resetInstallationBinding", async (c, { params }) => ({
  success: true,
  installation: await resetCompanyInstallationBinding(c, params.companyId, params.installationId),
}));
