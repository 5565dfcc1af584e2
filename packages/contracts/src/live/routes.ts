import { z } from "zod";
import { adminErrors, bodyErrors, CompanyIdParams, define } from "../shared/route-contract.ts";
import { BroadcastRequestSchema, HubStatsSchema, ServerMessageSchema } from "./schemas.ts";

export const liveRoutes = {
  liveSocket: define({
    method: "get",
    path: "/api/live",
    summary:
      "WebSocket (upgrade) to the company's live channel: an installation token (Authorization: Bearer or ?token=) or, for dashboards, ?company_id= with a signed-in member's session cookie (role allowing installations:read; a member with only projects:read_assigned, e.g. an installer, gets a socket limited to their assigned projects) or the operator credential. Messages: LiveServerMessage / LiveClientMessage.",
    tag: "live",
    auth: "installationTokenOrMember",
    permission: { resource: "installations", action: "read" },
    query: z.object({ token: z.string().optional(), company_id: z.string().optional() }),
    status: 101,
    response: ServerMessageSchema,
    errors: [
      "UPGRADE_REQUIRED",
      "UNAUTHORIZED",
      "FORBIDDEN",
      "INVALID_TOKEN",
      "TOKEN_EXPIRED",
      "INSTALLATION_DEACTIVATED",
      "COMPANY_SUSPENDED",
      "COMPANY_NOT_FOUND",
    ],
  }),
  broadcast: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/broadcast",
    summary: "Send a message to every live connection of a company",
    tag: "operator",
    auth: "company",
    permission: { resource: "messages", action: "send" },
    params: CompanyIdParams,
    body: BroadcastRequestSchema,
    status: 200,
    response: z.object({ success: z.literal(true), delivered: z.number().int() }),
    errors: [...adminErrors, ...bodyErrors, "COMPANY_NOT_FOUND"],
  }),
  hubStats: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/hub",
    summary: "The company's CompanyHub: heartbeats, D1 writes, installations by state, live sockets",
    tag: "operator",
    auth: "company",
    permission: { resource: "installations", action: "read" },
    params: CompanyIdParams,
    status: 200,
    response: HubStatsSchema,
    errors: [...adminErrors, "COMPANY_NOT_FOUND"],
  }),
} as const;
