import { adminErrors, define } from "../shared/route-contract.ts";
import { TenantPoolStatusSchema } from "./schemas.ts";

export const tenantPoolRoutes = {
  tenantPoolStatus: define({
    method: "get",
    path: "/api/admin/tenant-pool",
    summary: "State of the tenant database pool",
    tag: "operator",
    auth: "operator",
    status: 200,
    response: TenantPoolStatusSchema,
    errors: [...adminErrors],
  }),
} as const;
