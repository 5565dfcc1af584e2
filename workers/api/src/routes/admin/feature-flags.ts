// Feature flags per company, evaluated by role and showroom type (seed 001: e.g. trade pricing only
// in trade showrooms, the site-survey tool for surveyors). Apps get them evaluated: installations
// at validate, signed-in users from …/feature-flags/me.
import { evaluateFlags, type FeatureFlag, routes } from "@nexus/contracts";
import { featureFlags, showroomMembers, showrooms } from "@nexus/db/tenant";
import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, validParams } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import { callerRoles } from "../../services/crm/caller.ts";
import { loadFlags } from "../../services/crm/flags.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

const { listFeatureFlags, putFeatureFlags, myFeatureFlags } = routes;

export const featureFlagAdminRoutes = new Hono<AppEnv>()
  .get(honoPath(listFeatureFlags.path), validParams(listFeatureFlags.params), async (c) => {
    const { companyId } = c.req.valid("param");
    return c.json({ success: true as const, flags: await loadFlags(await tenantDatabase(c.env, companyId)) });
  })
  .put(
    honoPath(putFeatureFlags.path),
    validParams(putFeatureFlags.params),
    jsonBody(putFeatureFlags.body),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const { flags } = c.req.valid("json");
      const db = await tenantDatabase(c.env, companyId);
      const orm = drizzle(db);
      await orm.batch([
        orm.delete(featureFlags),
        ...flags.map((flag: FeatureFlag) =>
          orm.insert(featureFlags).values({
            key: flag.key,
            description: flag.description,
            enabled: flag.enabled,
            rules: flag.rules,
          }),
        ),
      ]);
      await auditStatement(c, {
        companyId,
        action: "feature_flags.changed",
        targetType: "company",
        targetId: companyId,
        details: { keys: flags.map((flag) => flag.key) },
      });
      return c.json({ success: true as const, flags: await loadFlags(db) });
    },
  )
  .get(honoPath(myFeatureFlags.path), validParams(myFeatureFlags.params), async (c) => {
    const { companyId } = c.req.valid("param");
    const db = await tenantDatabase(c.env, companyId);
    const actor = c.get("actor");
    const types =
      actor.type === "user" && actor.id
        ? await drizzle(db)
            .selectDistinct({ type: showrooms.type })
            .from(showroomMembers)
            .innerJoin(showrooms, eq(showrooms.id, showroomMembers.showroomId))
            .where(eq(showroomMembers.userId, actor.id))
            .orderBy(asc(showrooms.type))
        : [];
    const flags = evaluateFlags(await loadFlags(db), {
      roles: await callerRoles(c, companyId),
      showroomTypes: types.map((row) => row.type),
    });
    return c.json({ success: true as const, flags });
  });
