import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { callerCan } from "../../services/crm/caller.ts";
import { publishSyncedStatuses } from "../../services/crm/project-status.ts";
import { companyStorage } from "../../services/documents/library.ts";
import { applyMutations } from "../../services/sync/push.ts";
import { syncSession } from "../../services/sync/session.ts";

/** Up to 100 mutations (SYNC_LIMITS) carrying notes of up to 10,000 characters each: about 1 MB. */
const PUSH_BODY_LIMIT = 1024 * 1024;

export const syncPush = operation(
  "syncPush",
  async (c, { body, caller }) => {
    const session = await syncSession(c, caller, body);
    const first = body.mutations[0]?.id ?? 1;
    if (first > session.lastMutationId + 1) {
      throw new ApiError(
        "SYNC_MUTATION_GAP",
        `Mutations ${session.lastMutationId + 1}–${first - 1} never arrived: push again from ${session.lastMutationId + 1}.`,
        { last_mutation_id: session.lastMutationId },
      );
    }
    const storage = await companyStorage(c.get("db"), body.company_id);
    const result = await applyMutations(
      {
        db: session.db,
        companyId: body.company_id,
        deviceId: body.device_id,
        userId: session.userId,
        scope: session.scope,
        canAdvance: await callerCan(c, body.company_id, { resource: "projects", action: "advance" }),
        allowedTypes: storage.allowedTypes,
        quotaBytes: storage.quotaBytes,
        bucket: c.env.DOCUMENTS,
      },
      body.mutations,
      session.lastMutationId,
    );
    await publishSyncedStatuses(c.env, session.db, body.company_id, body.mutations, {
      after: session.lastMutationId,
      upTo: result.last,
      rejected: new Set(result.rejected.map((rejection) => rejection.mutation_id)),
    });
    return { success: true, last_mutation_id: result.last, rejected: result.rejected };
  },
  { bodyLimit: PUSH_BODY_LIMIT },
);
