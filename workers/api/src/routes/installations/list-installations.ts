import { operation } from "../../lib/operation.ts";
import { installationPage, toInstallationView } from "../../services/installation-admin.ts";

export const listInstallations = operation("listInstallations", async (c, { params, query }) => {
  const page = await installationPage(c.get("db"), params.companyId, query);
  return { success: true, installations: page.items.map(toInstallationView), next_cursor: page.nextCursor };
});
