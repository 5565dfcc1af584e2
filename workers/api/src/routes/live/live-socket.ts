import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { type LiveIdentity, openLiveSocket } from "../../services/hub.ts";

/**
 * The access guard authenticated the caller before the upgrade: an installation (its token in the
 * header or, since browsers cannot set headers on a WebSocket, in `?token=`), or a dashboard's
 * operator or member of the `?company_id=` company. The company's hub holds the socket.
 */
export const liveSocket = operation("liveSocket", async (c, { query, caller }) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError("UPGRADE_REQUIRED", "This route is a WebSocket: connect with `Upgrade: websocket`.");
  }
  let identity: LiveIdentity;
  if (caller.kind === "installation") {
    identity = {
      role: "installation",
      companyId: caller.companyId,
      actorId: caller.installationId,
      installationId: caller.installationId,
      hostname: null,
    };
  } else {
    // The guard lets operators and members through only for a dashboard naming its company.
    if (!query.company_id) {
      throw new ApiError("FORBIDDEN", "Open a dashboard connection with ?company_id=.");
    }
    const actorId = caller.kind === "operator" ? caller.id : caller.userId;
    identity = { role: "dashboard", companyId: query.company_id, actorId, hostname: null };
  }
  return openLiveSocket(c.env, c.req.raw.url, identity);
});
