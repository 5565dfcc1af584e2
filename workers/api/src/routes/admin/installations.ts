import { routes } from "@nexus/contracts";
import { installations } from "@nexus/db/central";
import { and, desc, eq, lt, or } from "drizzle-orm";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { honoPath, pageOf, validParams, validQuery } from "../../lib/route.ts";
import { containsText } from "../../lib/search.ts";
import { auditStatement } from "../../services/audit.ts";
import { getCompanyView } from "../../services/companies.ts";
import { notifyHub } from "../../services/hub.ts";
import { dispatchEvents, eventStatement } from "../../services/webhook-events.ts";

const { listInstallations, deactivateInstallation, resetInstallationBinding } = routes;
type InstallationRow = typeof installations.$inferSelect;

const toView = (row: InstallationRow) => ({
  id: row.id,
  company_id: row.companyId,
  machine_id: row.machineId,
  hostname: row.hostname,
  username: row.username,
  ip_address: row.ipAddress,
  app_version: row.appVersion,
  os_version: row.osVersion,
  is_active: row.isActive,
  last_heartbeat_at: row.lastHeartbeatAt?.toISOString() ?? null,
  deactivated_at: row.deactivatedAt?.toISOString() ?? null,
  created_at: row.createdAt.toISOString(),
});

export const installationAdminRoutes = new Hono<AppEnv>()
  .get(
    honoPath(listInstallations.path),
    validParams(listInstallations.params),
    validQuery(listInstallations.query),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const { status, q, app_version, limit, cursor } = c.req.valid("query");
      await getCompanyView(c, companyId);
      const rows = await c
        .get("db")
        .select()
        .from(installations)
        .where(
          and(
            eq(installations.companyId, companyId),
            status === "all" ? undefined : eq(installations.isActive, status === "active"),
            q
              ? or(
                  containsText(installations.hostname, q),
                  containsText(installations.machineId, q),
                  containsText(installations.username, q),
                )
              : undefined,
            app_version ? eq(installations.appVersion, app_version) : undefined,
            cursor ? lt(installations.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(installations.id))
        .limit(limit + 1);
      const page = pageOf(rows.map(toView), limit);
      return c.json({ success: true as const, installations: page.items, next_cursor: page.nextCursor });
    },
  )
  .post(honoPath(deactivateInstallation.path), validParams(deactivateInstallation.params), async (c) => {
    const { companyId, installationId } = c.req.valid("param");
    const { scope, existing } = await companyInstallation(c, companyId, installationId);
    const db = c.get("db");
    if (existing.isActive) {
      const now = new Date();
      const event = eventStatement(db, {
        companyId,
        type: "installation.deactivated",
        data: {
          installation_id: installationId,
          machine_id: existing.machineId,
          hostname: existing.hostname,
          reason: "admin",
        },
      });
      await db.batch([
        db
          .update(installations)
          .set({ isActive: false, deactivatedAt: now, deactivationReason: "admin", updatedAt: now })
          .where(scope),
        auditStatement(c, {
          companyId,
          action: "installation.deactivated",
          targetType: "installation",
          targetId: installationId,
          details: { machine_id: existing.machineId, hostname: existing.hostname },
        }),
        event.statement,
      ]);
      await dispatchEvents(c.env, [event.id]);
    }
    await notifyHub(c, companyId, (hub) => hub.installationDeactivated(companyId, installationId));
    const [row] = await db.select().from(installations).where(scope).limit(1);
    return c.json({ success: true as const, installation: toView(row ?? existing) });
  })
  // For a machine that lost its installation secret (reinstalled, disk replaced): forgetting the
  // binding lets the next validate of its machine_id bind it again. Seat and tokens are untouched;
  // to cut off the machine that held the binding, deactivate the installation too.
  .post(honoPath(resetInstallationBinding.path), validParams(resetInstallationBinding.params), async (c) => {
    const { companyId, installationId } = c.req.valid("param");
    const { scope, existing } = await companyInstallation(c, companyId, installationId);
    const db = c.get("db");
    await db.batch([
      db.update(installations).set({ secretHash: null, boundAt: null, updatedAt: new Date() }).where(scope),
      auditStatement(c, {
        companyId,
        action: "installation.binding_reset",
        targetType: "installation",
        targetId: installationId,
        details: { machine_id: existing.machineId, hostname: existing.hostname },
      }),
    ]);
    const [row] = await db.select().from(installations).where(scope).limit(1);
    return c.json({ success: true as const, installation: toView(row ?? existing) });
  });

/** The company's installation (its row and the condition naming it), after checking the company. */
async function companyInstallation(c: Context<AppEnv>, companyId: string, installationId: string) {
  await getCompanyView(c, companyId);
  // Scoped by company: another company's installation id answers 404, as if it did not exist.
  const scope = and(eq(installations.id, installationId), eq(installations.companyId, companyId));
  const [existing] = await c.get("db").select().from(installations).where(scope).limit(1);
  if (!existing)
    throw new ApiError("INSTALLATION_NOT_FOUND", `This company has no installation ${installationId}.`);
  return { scope, existing };
}
