import { routes } from "@nexus/contracts";
import { Hono } from "hono";
import { type AppEnv, getConfig } from "../../env.ts";
import { ApiError, revalidate } from "../../lib/errors.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath } from "../../lib/route.ts";
import { bearerToken } from "../../middleware/auth.ts";
import { clientIp } from "../../services/audit.ts";
import { companyHub, unwrap } from "../../services/hub.ts";
import { verifyInstallationToken } from "../../services/installation-tokens.ts";

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
    const claims = await verifyInstallationToken(getConfig(c.env).JWT_SIGNING_KEYS, token);
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
    return c.json(unwrap(result), contract.status);
  },
);
