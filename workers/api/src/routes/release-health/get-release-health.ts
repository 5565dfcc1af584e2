import { operation } from "../../lib/operation.ts";
import { releaseHealthOf } from "../../services/errors/release-health.ts";

export const getReleaseHealth = operation("getReleaseHealth", async (c, { params }) => ({
  success: true,
  health: await releaseHealthOf(c.get("db"), params.releaseId),
}));
