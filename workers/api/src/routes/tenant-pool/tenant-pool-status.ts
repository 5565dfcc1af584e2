import { operation } from "../../lib/operation.ts";
import { poolStatus } from "../../services/tenant-pool.ts";

export const tenantPoolStatus = operation("tenantPoolStatus", async (c) => ({
  success: true,
  ...(await poolStatus(c.env, c.get("db"))),
}));
