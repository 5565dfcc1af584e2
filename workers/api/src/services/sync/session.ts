// Who is syncing: the signed-in member (or operator) the access guard let in, their tenant database,
// their device's state and which jobs they see.
import { MIN_SYNC_SCHEMA_VERSION } from "@nexus/contracts";
import { syncDevices } from "@nexus/db/tenant";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import type { OperatorCaller, UserCaller } from "../../middleware/caller.ts";
import { type ProjectScope, projectScope } from "../crm/caller.ts";
import { tenantDatabase } from "../tenant-db.ts";

export interface SyncSession {
  db: D1Database;
  userId: string;
  /** The last mutation the server applied (or rejected) for the device. */
  lastMutationId: number;
  scope: ProjectScope;
}

/** The device's row, registered to `userId` on its first sync. */
async function deviceOf(db: D1Database, deviceId: string, userId: string) {
  const orm = drizzle(db);
  await orm
    .insert(syncDevices)
    .values({ deviceId, userId })
    .onConflictDoNothing({ target: syncDevices.deviceId });
  const [device] = await orm.select().from(syncDevices).where(eq(syncDevices.deviceId, deviceId)).limit(1);
  return device;
}

export async function syncSession(
  c: Context<AppEnv>,
  caller: OperatorCaller | UserCaller,
  input: { company_id: string; device_id: string; schema_version: number },
): Promise<SyncSession> {
  if (input.schema_version < MIN_SYNC_SCHEMA_VERSION) {
    throw new ApiError(
      "UPGRADE_REQUIRED",
      `This app speaks sync schema ${input.schema_version}; the server needs at least ${MIN_SYNC_SCHEMA_VERSION}. Update the app.`,
      { min_schema_version: MIN_SYNC_SCHEMA_VERSION },
    );
  }
  const userId = caller.kind === "user" ? caller.userId : `operator:${caller.id}`;
  const db = await tenantDatabase(c.env, input.company_id);
  const device = await deviceOf(db, input.device_id, userId);
  // A device id belongs to the user who first synced with it: another user cannot ride on it.
  if (!device || device.userId !== userId) {
    throw new ApiError(
      "FORBIDDEN",
      "This device is registered to another user. Sign in again to get a new device id.",
    );
  }
  return {
    db,
    userId,
    lastMutationId: device.lastMutationId,
    scope: await projectScope(c, input.company_id),
  };
}
