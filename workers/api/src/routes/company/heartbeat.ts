import { routes } from "@nexus/contracts";
import { Hono } from "hono";
import { type AppEnv, getConfig } from "../../env.ts";
import { ApiError, revalidate } from "../../lib/errors.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath } from "../../lib/route.ts";
import { bearerToken } from "../../middleware/auth.ts";
import { verifyInstallationToken } from "../../services/installation-tokens.ts";
import { recordHeartbeat } from "../../services/installations.ts";

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
    return c.json(await recordHeartbeat(c, claims, c.req.valid("json")), contract.status);
  },
);
