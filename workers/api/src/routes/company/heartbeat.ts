import { type HeartbeatResponse, routes } from "@nexus/contracts";
import { Hono } from "hono";
import { type AppEnv, getConfig } from "../../env.ts";
import { ApiError, revalidate } from "../../lib/errors.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath } from "../../lib/route.ts";
import { bearerToken } from "../../middleware/auth.ts";
import { clientIp } from "../../services/audit.ts";
import { companyHub, unwrap } from "../../services/hub.ts";
import { issueInstallationToken, verifyInstallationToken } from "../../services/installation-tokens.ts";

const contract = routes.heartbeat;

export const heartbeatRoute = new Hono<AppEnv>().post(
  honoPath(contract.path),
  jsonBody(contract.body),
  async (c) => {
    const token = bearerToken(c);
    if (!token) {
      throw new ApiError(
        "UNAUTHORIZED",
        "Send the installation token from /api/company/validate as `Authorization: Bearer <token>`.",
        revalidate,
      );
    }
    const config = getConfig(c.env);
    const claims = await verifyInstallationToken(config.JWT_SIGNING_KEYS, token);
    c.set("actor", { type: "installation", id: claims.installationId });
    const input = c.req.valid("json");
    // One call into the company's hub and no D1 query: the hub answers from its own storage.
    const result = await companyHub(c.env, claims.companyId).heartbeat({
      companyId: claims.companyId,
      installationId: claims.installationId,
      companyCode: input.company_code,
      machineId: input.machine_id,
      appVersion: input.app_version,
      settingsVersion: input.settings_version,
      ip: clientIp(c),
    });
    const answer: HeartbeatResponse = unwrap(result);
    // Apps that heartbeat never need to validate again just because their token aged out.
    const ttlMs = config.INSTALLATION_TOKEN_TTL_SECONDS * 1000;
    if (claims.expiresAt - Date.now() < ttlMs / 4) {
      const fresh = await issueInstallationToken(
        config.JWT_SIGNING_KEYS,
        { installationId: claims.installationId, companyId: claims.companyId },
        config.INSTALLATION_TOKEN_TTL_SECONDS,
      );
      answer.installation = {
        id: claims.installationId,
        token: fresh.token,
        token_expires_at: fresh.expiresAt.toISOString(),
      };
    }
    return c.json(answer, contract.status);
  },
);
