import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { callerCan } from "../../services/crm/caller.ts";
import { type LiveIdentity, openLiveSocket } from "../../services/hub.ts";

/**
 * The access guard authenticated the caller before the upgrade: an installation (its token in the
 * header or, since browsers cannot set headers on a WebSocket, in `?token=`), or a dashboard's
 * operator or member of the `?company_id=` company. The company's hub holds the socket.
 *
 * A member's socket carries what their permissions allow, worked out here once: presence and the
 * company-wide relay with installations:read, every project's status and chat with projects:read,
 * else (projects:read_assigned only: installers) only their assigned projects', decided per frame
 * by the hub from the assignments of the moment.
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
    const companyId = query.company_id;
    if (!companyId) {
      throw new ApiError("FORBIDDEN", "Open a dashboard connection with ?company_id=.");
    }
    if (caller.kind === "operator") {
      identity = { role: "dashboard", companyId, actorId: caller.id, hostname: null };
    } else {
      const [presence, allProjects, chat] = await Promise.all([
        callerCan(c, companyId, { resource: "installations", action: "read" }),
        callerCan(c, companyId, { resource: "projects", action: "read" }),
        callerCan(c, companyId, { resource: "chat", action: "read" }),
      ]);
      identity = {
        role: "dashboard",
        companyId,
        actorId: caller.userId,
        userId: caller.userId,
        hostname: null,
        scope: allProjects ? "company" : "assigned",
        presence,
        chat,
      };
    }
  }
  return openLiveSocket(c.env, c.req.raw.url, identity);
});
