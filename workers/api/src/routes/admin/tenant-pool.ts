import { routes } from "@nexus/contracts";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { honoPath } from "../../lib/route.ts";
import { poolStatus } from "../../services/tenant-pool.ts";

export const tenantPoolAdminRoutes = new Hono<AppEnv>().get(
  honoPath(routes.tenantPoolStatus.path),
  async (c) => c.json({ success: true as const, ...(await poolStatus(c.env, c.get("db"))) }),
);
