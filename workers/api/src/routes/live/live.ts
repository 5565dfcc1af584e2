import { routes } from "@nexus/contracts";
import { Hono } from "hono";
import { LIVE_IDENTITY_HEADER, type SocketIdentity } from "../../durable-objects/hub-sockets.ts";
import { type AppEnv, getConfig } from "../../env.ts";
import { ApiError, revalidate } from "../../lib/errors.ts";
import { bearerToken, isAdminSecret } from "../../middleware/auth.ts";
import { authenticate, authorizeMember } from "../../middleware/authenticate.ts";
import { companyHub } from "../../services/hub.ts";
import { verifyInstallationToken } from "../../services/installation-tokens.ts";

const contract = routes.liveSocket;
// What the hub may answer instead of accepting the socket.
const REFUSALS = [
  "COMPANY_SUSPENDED",
  "SUBSCRIPTION_EXPIRED",
  "COMPANY_NOT_FOUND",
  "INSTALLATION_DEACTIVATED",
] as const;

/**
 * Authenticates before the upgrade, then hands the request to the company's hub, which holds the
 * socket. Browsers cannot set headers on a WebSocket, so an installation token may also come as
 * `?token=` (it is short-lived); dashboards connect with their session cookie and `?company_id=`
 * (the operator credential is accepted in the header only).
 */
export const liveRoutes = new Hono<AppEnv>().get(contract.path, async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError("UPGRADE_REQUIRED", "This route is a WebSocket: connect with `Upgrade: websocket`.");
  }
  const headerToken = bearerToken(c);
  const token = headerToken ?? c.req.query("token");
  const dashboardCompany = c.req.query("company_id");
  let identity: Omit<SocketIdentity, "connectedAt">;
  if (dashboardCompany && (!token || (headerToken && (await isAdminSecret(c, headerToken))))) {
    // A dashboard: an operator, or a member of the company allowed to see its installations.
    const principal = await authenticate(c);
    if (principal.kind === "apiKey" || principal.kind === "installation")
      throw new ApiError(
        "FORBIDDEN",
        "Open a dashboard connection as an operator or a member of the company.",
      );
    if (principal.kind === "user") {
      await authorizeMember(c, principal.userId, dashboardCompany, {
        resource: "installations",
        action: "read",
      });
    }
    const actorId = principal.kind === "operator" ? principal.id : principal.userId;
    identity = { role: "dashboard", companyId: dashboardCompany, actorId, hostname: null };
  } else if (!token) {
    throw new ApiError(
      "UNAUTHORIZED",
      "Connect with an installation token (Authorization: Bearer or ?token=), or as a signed-in dashboard user with ?company_id=.",
      revalidate,
    );
  } else {
    const claims = await verifyInstallationToken(getConfig(c.env).JWT_SIGNING_KEYS, token);
    identity = {
      role: "installation",
      companyId: claims.companyId,
      actorId: claims.installationId,
      installationId: claims.installationId,
      hostname: null,
    };
  }
  const upgrade = new Request(c.req.raw.url, {
    headers: { upgrade: "websocket", [LIVE_IDENTITY_HEADER]: JSON.stringify(identity) },
  });
  const response = await companyHub(c.env, identity.companyId).fetch(upgrade);
  if (response.status === 101) return response;
  const refusal = (await response.json().catch(() => ({}))) as {
    code?: string;
    message?: string;
    details?: Record<string, unknown>;
  };
  const code = REFUSALS.find((known) => known === refusal.code) ?? "INSTALLATION_DEACTIVATED";
  throw new ApiError(code, refusal.message ?? "The live connection was refused.", refusal.details);
});
