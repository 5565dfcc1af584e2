import { type CentralDb, getConfig } from "../../env.ts";
import { operation } from "../../lib/operation.ts";
import { clientIp } from "../../services/audit.ts";
import {
  assertCompanyUsable,
  cachedCompanyDatabaseRow,
  companyNotFound,
  companyRefusal,
  databaseConfigFor,
  findCompanyByCode,
} from "../../services/companies.ts";
import { installationFlags } from "../../services/crm/flags.ts";
import { notifyHub } from "../../services/hub.ts";
import { issueInstallationToken } from "../../services/installation-tokens.ts";
import { activateInstallation } from "../../services/installations.ts";
import { limitAnonymous, limitForCompany } from "../../services/rate-limits.ts";
import { cachedFeedCompany } from "../../services/updates/feed.ts";

/**
 * The company for a code. The isolate's company cache (the update feed's, cleared by every change to
 * a company made in this isolate) answers when it lets the request go on; a code it does not know
 * and a company it holds as suspended or expired are read again, so a refusal is never a stale one.
 * A suspension made elsewhere is enforced by activateInstallation's statements, which check it in D1.
 */
async function companyForCode(db: CentralDb, companyCode: string) {
  const cached = (await cachedFeedCompany(db, companyCode))?.company;
  if (cached && companyRefusal(cached) === null) return cached;
  return findCompanyByCode(db, companyCode);
}

export const validate = operation("validate", async (c, { body }) => {
  const config = getConfig(c.env);
  const db = c.get("db");
  let company = await companyForCode(db, body.company_code);
  if (!company) {
    // Unknown codes are limited per IP before answering, so codes cannot be enumerated quickly.
    await limitAnonymous(c, "validate");
    throw companyNotFound(body.company_code);
  }
  await limitForCompany(c, company.id, "validate");
  assertCompanyUsable(company);
  const { id: installationId, secret, settingsVersion } = await activateInstallation(c, company, body);
  // The settings are answered with their version: if the cached row is behind what the activation
  // just stored, it is read again rather than answering old settings under a new version.
  if (settingsVersion !== company.settingsVersion) {
    company = (await findCompanyByCode(db, body.company_code)) ?? company;
  }
  const { id: companyId } = company;
  const [, credential, database, featureFlags] = await Promise.all([
    notifyHub(c, companyId, (hub) =>
      hub.installationActivated({
        companyId,
        id: installationId,
        machineId: body.machine_id,
        hostname: body.hostname,
        appVersion: body.app_version ?? null,
        ip: clientIp(c),
        settingsVersion,
      }),
    ),
    issueInstallationToken(
      config.JWT_SIGNING_KEYS,
      { installationId, companyId },
      config.INSTALLATION_TOKEN_TTL_SECONDS,
    ),
    cachedCompanyDatabaseRow(c, companyId),
    installationFlags(c.env, companyId),
  ]);
  return {
    success: true,
    company_id: companyId,
    company_name: company.companyName,
    database_config: await databaseConfigFor(c, companyId, database),
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
