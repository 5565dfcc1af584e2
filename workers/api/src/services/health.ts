// What GET /health checks: that the central database answers a query on a real table.
import { companies } from "@nexus/db/central";
import { sql } from "drizzle-orm";
import type { CentralDb } from "../env.ts";

export async function centralDbCheck(db: CentralDb): Promise<"ok" | "failed"> {
  try {
    await db.select({ one: sql`1` }).from(companies).limit(1);
    return "ok";
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        event: "health_check_failed",
        check: "central_db",
        error: String(error),
      }),
    );
    return "failed";
  }
}
