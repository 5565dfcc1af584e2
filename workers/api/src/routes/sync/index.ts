// POST /api/sync/push and /api/sync/pull: the mobile app's sync, for signed-in company members (the
// company is named in the body; the access guard checks the membership). See services/sync and the
// README's "Mobile sync".
import type { Operation } from "../../lib/operation.ts";
import { syncPull } from "./sync-pull.ts";
import { syncPush } from "./sync-push.ts";

export const syncOperations: Operation[] = [syncPush, syncPull];
