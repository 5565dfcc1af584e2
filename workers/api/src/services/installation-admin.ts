// The company's installations as its operators and admins manage them: the list, deactivation (which
// frees the seat) and resetting the machine binding. Activation by the apps is installations.ts.
import type { InstallationListQuerySchema } from "@nexus/contracts";
import { installations } from "@nexus/db/central";
import { and, eq, or } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv, CentralDb } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { containsText } from "../lib/search.ts";
import { auditStatement } from "./audit.ts";
import { notifyHub } from "./hub.ts";
import { listPage } from "./list-page.ts";
import { dispatchEvents, eventStatement } from "./webhook-events.ts";

// What a view shows: the list reads these columns only (not the binding's secret hash or the
// bookkeeping), a third less for D1 to send and drizzle to map per row.
const viewColumns = {
  id: installations.id,
  companyId: installations.companyId,
  machineId: installations.machineId,
  hostname: installations.hostname,
  username: installations.username,
  ipAddress: installations.ipAddress,
  appVersion: installations.appVersion,
  osVersion: installations.osVersion,
  isActive: installations.isActive,
  lastHeartbeatAt: installations.lastHeartbeatAt,
  deactivatedAt: installations.deactivatedAt,
  createdAt: installations.createdAt,
};

type InstallationViewRow = Pick<typeof installations.$inferSelect, keyof typeof viewColumns>;

export const toInstallationView = (row: InstallationViewRow) => ({
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

/** One page of the company's installations, newest first. */
export function installationPage(
  db: CentralDb,
  companyId: string,
  query: z.output<typeof InstallationListQuerySchema>,
) {
  const t = installations;
  const { status, q, app_version } = query;
  return listPage(
    query,
    t.id,
    [
      eq(t.companyId, companyId),
      status === "all" ? undefined : eq(t.isActive, status === "active"),
      q
        ? or(containsText(t.hostname, q), containsText(t.machineId, q), containsText(t.username, q))
        : undefined,
      app_version ? eq(t.appVersion, app_version) : undefined,
    ],
    ({ where, orderBy, limit }) => db.select(viewColumns).from(t).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
}

/** The company's installation (its row and the condition naming it). */
async function companyInstallation(db: CentralDb, companyId: string, installationId: string) {
  // Scoped by company: another company's installation id answers 404, as if it did not exist.
  const scope = and(eq(installations.id, installationId), eq(installations.companyId, companyId));
  const [existing] = await db.select().from(installations).where(scope).limit(1);
  if (!existing)
    throw new ApiError("INSTALLATION_NOT_FOUND", `This company has no installation ${installationId}.`);
  return { scope, existing };
}

/**
 * Deactivates the installation (once: an inactive one is left as it is) and frees its seat; its hub
 * closes the installation's live connection either way.
 */
export async function deactivateCompanyInstallation(
  c: Context<AppEnv>,
  companyId: string,
  installationId: string,
) {
  const db = c.get("db");
  const { scope, existing } = await companyInstallation(db, companyId, installationId);
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
  return toInstallationView(row ?? existing);
}

/**
 * For a machine that lost its installation secret (reinstalled, disk replaced): forgetting the
 * binding lets the next validate of its machine_id bind it again. Seat and tokens are untouched;
 * to cut off the machine that held the binding, deactivate the installation too.
 */
export async function resetCompanyInstallationBinding(
  c: Context<AppEnv>,
  companyId: string,
  installationId: string,
) {
  const db = c.get("db");
  const { scope, existing } = await companyInstallation(db, companyId, installationId);
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
  return toInstallationView(row ?? existing);
}
