import { routes } from "@nexus/contracts";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";

export const healthRoutes = new Hono<AppEnv>()
  .get(routes.live.path, (c) => c.json({ status: "ok" as const }))
  .get(routes.health.path, async (c) => {
    let centralDb: "ok" | "failed" = "ok";
    try {
      await c.env.CENTRAL_DB.prepare("SELECT 1 FROM companies LIMIT 1").run();
    } catch (error) {
      centralDb = "failed";
      console.error(
        JSON.stringify({
          level: "error",
          event: "health_check_failed",
          check: "central_db",
          error: String(error),
        }),
      );
    }
    const ok = centralDb === "ok";
    return c.json(
      { status: ok ? ("ok" as const) : ("degraded" as const), checks: { central_db: centralDb } },
      ok ? 200 : 503,
    );
  });
