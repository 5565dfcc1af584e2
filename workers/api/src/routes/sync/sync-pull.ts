import { operation } from "../../lib/operation.ts";
import { pullChanges } from "../../services/sync/pull.ts";
import { syncSession } from "../../services/sync/session.ts";

export const syncPull = operation("syncPull", async (c, { body, caller }) => {
  const session = await syncSession(c, caller, body);
  const page = await pullChanges(session.db, session.scope, body.cursor, body.limit);
  return {
    success: true,
    reset: page.reset,
    changes: page.changes,
    cursor: page.cursor,
    has_more: page.hasMore,
    last_mutation_id: session.lastMutationId,
  };
});
