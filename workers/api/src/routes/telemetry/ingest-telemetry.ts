import { TELEMETRY_LIMITS } from "@nexus/contracts";
import { operation } from "../../lib/operation.ts";
import type { ApiKeyCaller, InstallationCaller } from "../../middleware/caller.ts";
import { knownMachines } from "../../services/known-machines.ts";
import { limitTelemetry } from "../../services/rate-limits.ts";
import { checkBatch, cutMessages, enqueueAll } from "../../services/telemetry-ingest.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

/**
 * Who sent the batch: the apps (installation token), or gateways and servers (API key). Batch ids are
 * the sender's own, so queue keys are scoped to `key`, stable per sender; rate limits are kept per
 * installation or per key.
 */
function senderOf(caller: InstallationCaller | ApiKeyCaller) {
  if (caller.kind === "apiKey") {
    const { id, companyId } = caller.key;
    return { companyId, installationId: null, key: `k:${id}`, limitedAs: { apiKeyId: id } };
  }
  const { companyId, installationId } = caller;
  return { companyId, installationId, key: `i:${installationId}`, limitedAs: { installationId } };
}

export const ingestTelemetry = operation(
  "ingestTelemetry",
  async (c, { body: batch, caller }) => {
    const sender = senderOf(caller);
    await limitTelemetry(c, sender.companyId, sender.limitedAs);
    // Refuses companies whose data lives elsewhere; checked once per isolate, then cached.
    const tenantDb = await tenantDatabase(c.env, sender.companyId);
    // Machine ids are checked against a per-isolate cache: no D1 read on most batches, no write ever.
    const machineIds = batch.samples.flatMap((sample) =>
      sample && typeof sample === "object" && "machine_id" in sample && typeof sample.machine_id === "string"
        ? [sample.machine_id]
        : [],
    );
    const known =
      machineIds.length > 0 ? await knownMachines(sender.companyId, tenantDb, machineIds) : new Set<string>();
    const checked = checkBatch(batch.samples, batch.usage, (id) => known.has(id));
    const messages = cutMessages(
      {
        company_id: sender.companyId,
        installation_id: sender.installationId,
        keyPrefix: `${sender.key}:${batch.batch_id}`,
      },
      checked,
    );
    await enqueueAll(c.env.TELEMETRY_QUEUE, messages);
    return {
      success: true,
      batch_id: batch.batch_id,
      accepted: { samples: checked.samples.length, usage: checked.usage.length },
      rejected_count: checked.rejected.length,
      rejected: checked.rejected.slice(0, TELEMETRY_LIMITS.maxListedRejections),
    };
  },
  { bodyLimit: TELEMETRY_LIMITS.maxBodyBytes },
);
