import { bodyErrors, define } from "../shared/route-contract.ts";
import {
  SyncPullRequestSchema,
  SyncPullResponseSchema,
  SyncPushRequestSchema,
  SyncPushResponseSchema,
} from "./schemas.ts";

export const syncRoutes = {
  syncPush: define({
    method: "post",
    path: "/api/sync/push",
    summary:
      "Mobile sync: apply a device's ordered mutations once each; business-rule refusals are recorded and do not block the rest",
    tag: "sync",
    auth: "member",
    permission: { resource: "projects", action: "read_assigned" },
    body: SyncPushRequestSchema,
    status: 200,
    response: SyncPushResponseSchema,
    errors: [
      ...bodyErrors,
      "UNAUTHORIZED",
      "FORBIDDEN",
      "COMPANY_NOT_FOUND",
      "COMPANY_SUSPENDED",
      "UPGRADE_REQUIRED",
      "SYNC_MUTATION_GAP",
      "SERVICE_UNAVAILABLE",
      "TENANT_DATABASE_EXTERNAL",
    ],
  }),
  syncPull: define({
    method: "post",
    path: "/api/sync/pull",
    summary: "Mobile sync: changes since a server cursor, scoped to what the user may see, paged",
    tag: "sync",
    auth: "member",
    permission: { resource: "projects", action: "read_assigned" },
    body: SyncPullRequestSchema,
    status: 200,
    response: SyncPullResponseSchema,
    errors: [
      ...bodyErrors,
      "UNAUTHORIZED",
      "FORBIDDEN",
      "COMPANY_NOT_FOUND",
      "COMPANY_SUSPENDED",
      "UPGRADE_REQUIRED",
      "TENANT_DATABASE_EXTERNAL",
    ],
  }),
} as const;
