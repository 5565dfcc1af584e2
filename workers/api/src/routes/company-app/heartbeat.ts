import type { HeartbeatResponse } from "@nexus/contracts";
import { getConfig } from "../../env.ts";
import { operation } from "../../lib/operation.ts";
import { clientIp } from "../../services/audit.ts";
import { companyHub, unwrap } from "../../services/hub.ts";
import { issueInstallationToken } from "../../services/installation-tokens.ts";

export const heartbeat = operation("heartbeat", async (c, { body, caller }) => {
  const config = getConfig(c.env);
  // One call into the company's hub and no D1 query: the hub answers from its memory.
  const result = await companyHub(c.env, caller.companyId).heartbeat({
    companyId: caller.companyId,
    installationId: caller.installationId,
    companyCode: body.company_code,
    machineId: body.machine_id,
    appVersion: body.app_version,
    settingsVersion: body.settings_version,
    ip: clientIp(c),
  });
  const answer: HeartbeatResponse = unwrap(result);
  // Apps that heartbeat never need to validate again just because their token aged out.
  const ttlMs = config.INSTALLATION_TOKEN_TTL_SECONDS * 1000;
  if (caller.expiresAt - Date.now() < ttlMs / 4) {
    const fresh = await issueInstallationToken(
      config.JWT_SIGNING_KEYS,
      { installationId: caller.installationId, companyId: caller.companyId },
      config.INSTALLATION_TOKEN_TTL_SECONDS,
    );
    answer.installation = {
      id: caller.installationId,
      token: fresh.token,
      token_expires_at: fresh.expiresAt.toISOString(),
    };
  }
  return answer;
});
