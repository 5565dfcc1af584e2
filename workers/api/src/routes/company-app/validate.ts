import { getConfig } from "../../env.ts";
import { operation } from "../../lib/operation.ts";
import { clientIp } from "../../services/audit.ts";
import {
  assertCompanyUsable,
  companyDatabaseRow,
  companyNotFound,
  databaseConfigFor,
  findCompanyByCode,
} from "../../services/companies.ts";
import { installationFlags } from "../../services/crm/flags.ts";
import { notifyHub } from "../../services/hub.ts";
import { issueInstallationToken } from "../../services/installation-tokens.ts";
import { activateInstallation } from "../../services/installations.ts";
import { limitAnonymous, limitForCompany } from "../../services/rate-limits.ts";

export const validate = operation("validate", async (c, { body }) => {
  const config = getConfig(c.env);
  const company = await findCompanyByCode(c.get("db"), body.company_code);
  if (!company) {
    // Unknown codes are limited per IP before answering, so codes cannot be enumerated quickly.
    await limitAnonymous(c, "validate");
    throw companyNotFound(body.company_code);
  }
  await limitForCompany(c, company.id, "validate");
  assertCompanyUsable(company);
  const { id: installationId, secret } = await activateInstallation(c, company, body);
  await notifyHub(c, company.id, (hub) =>
    hub.installationActivated({
      companyId: company.id,
      id: installationId,
      machineId: body.machine_id,
      hostname: body.hostname,
      appVersion: body.app_version ?? null,
      ip: clientIp(c),
      settingsVersion: company.settingsVersion,
    }),
  );
  const [credential, database, featureFlags] = await Promise.all([
    issueInstallationToken(
      config.JWT_SIGNING_KEYS,
      { installationId, companyId: company.id },
      config.INSTALLATION_TOKEN_TTL_SECONDS,
    ),
    companyDatabaseRow(c, company.id),
    installationFlags(c.env, company.id),
  ]);
  return {
    success: true,
    company_id: company.id,
    company_name: company.companyName,
    database_config: await databaseConfigFor(c, company.id, database),
    settings: company.settings,
    settings_version: company.settingsVersion,
    update_channel: company.updateChannel,
    installation: {
      id: installationId,
      token: credential.token,
      token_expires_at: credential.expiresAt.toISOString(),
      ...(secret ? { secret } : {}),
    },
    feature_flags: featureFlags,
  };
});
