// POST /api/sync/push and /api/sync/pull: the mobile app's sync, for signed-in company members (the
// company is named in the body). See services/sync and the README's "Mobile sync".
import { MIN_SYNC_SCHEMA_VERSION, routes } from "@nexus/contracts";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath } from "../../lib/route.ts";
import { authenticate, authorizeMember } from "../../middleware/authenticate.ts";
import { callerCan, projectScope } from "../../services/crm/caller.ts";
import { companyStorage } from "../../services/documents/library.ts";
import { pullChanges } from "../../services/sync/pull.ts";
import { applyMutations } from "../../services/sync/push.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

const { syncPush, syncPull } = routes;

/** The signed-in member (or an operator), their tenant database and their device's state. */
async function syncCaller(
  c: Context<AppEnv>,
  input: { company_id: string; device_id: string; schema_version: number },
) {
  if (input.schema_version < MIN_SYNC_SCHEMA_VERSION) {
    throw new ApiError(
      "UPGRADE_REQUIRED",
      `This app speaks sync schema ${input.schema_version}; the server needs at least ${MIN_SYNC_SCHEMA_VERSION}. Update the app.`,
      { min_schema_version: MIN_SYNC_SCHEMA_VERSION },
    );
  }
  const principal = await authenticate(c);
  if (principal.kind === "user") {
    await authorizeMember(c, principal.userId, input.company_id, syncPush.permission);
  } else if (principal.kind !== "operator") {
    throw new ApiError("FORBIDDEN", "Sync is for the company's signed-in users.");
  }
  const userId = principal.kind === "user" ? principal.userId : `operator:${principal.id}`;
  const db = await tenantDatabase(c.env, input.company_id);
  await db
    .prepare("INSERT INTO sync_devices (device_id, user_id) VALUES (?, ?) ON CONFLICT (device_id) DO NOTHING")
    .bind(input.device_id, userId)
    .run();
  const device = await db
    .prepare("SELECT user_id, last_mutation_id FROM sync_devices WHERE device_id = ?")
    .bind(input.device_id)
    .first<{ user_id: string; last_mutation_id: number }>();
  // A device id belongs to the user who first synced with it: another user cannot ride on it.
  if (!device || device.user_id !== userId) {
    throw new ApiError(
      "FORBIDDEN",
      "This device is registered to another user. Sign in again to get a new device id.",
    );
  }
  return {
    db,
    userId,
    lastMutationId: device.last_mutation_id,
    scope: await projectScope(c, input.company_id),
  };
}

export const syncRoutes = new Hono<AppEnv>()
  .post(honoPath(syncPush.path), jsonBody(syncPush.body, 1024 * 1024), async (c) => {
    const input = c.req.valid("json");
    const caller = await syncCaller(c, input);
    const first = input.mutations[0]?.id ?? 1;
    if (first > caller.lastMutationId + 1) {
      throw new ApiError(
        "SYNC_MUTATION_GAP",
        `Mutations ${caller.lastMutationId + 1}–${first - 1} never arrived: push again from ${caller.lastMutationId + 1}.`,
        { last_mutation_id: caller.lastMutationId },
      );
    }
    const storage = await companyStorage(c.get("db"), input.company_id);
    const result = await applyMutations(
      {
        db: caller.db,
        companyId: input.company_id,
        deviceId: input.device_id,
        userId: caller.userId,
        scope: caller.scope,
        canAdvance: await callerCan(c, input.company_id, { resource: "projects", action: "advance" }),
        allowedTypes: storage.allowedTypes,
        quotaBytes: storage.quotaBytes,
        bucket: c.env.DOCUMENTS,
      },
      input.mutations,
      caller.lastMutationId,
    );
    return c.json({ success: true as const, last_mutation_id: result.last, rejected: result.rejected });
  })
  .post(honoPath(syncPull.path), jsonBody(syncPull.body), async (c) => {
    const input = c.req.valid("json");
    const caller = await syncCaller(c, input);
    const page = await pullChanges(caller.db, caller.scope, input.cursor, input.limit);
    return c.json({
      success: true as const,
      reset: page.reset,
      changes: page.changes,
      cursor: page.cursor,
      has_more: page.hasMore,
      last_mutation_id: caller.lastMutationId,
    });
  });
