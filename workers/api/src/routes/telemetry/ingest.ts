import { routes, TELEMETRY_LIMITS, type TelemetryIngestResponse } from "@nexus/contracts";
import type { Context } from "hono";
import { Hono } from "hono";
import { type AppEnv, getConfig } from "../../env.ts";
import { ApiError, revalidate } from "../../lib/errors.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath } from "../../lib/route.ts";
import { bearerToken } from "../../middleware/auth.ts";
import { isApiKey, keyAllows, requestApiKey } from "../../services/api-keys.ts";
import { verifyInstallationToken } from "../../services/installation-tokens.ts";
import { knownMachines } from "../../services/known-machines.ts";
import { limitTelemetry } from "../../services/rate-limits.ts";
import { checkBatch, enqueueAll, queueMessages } from "../../services/telemetry-ingest.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

const contract = routes.ingestTelemetry;

interface Sender {
  companyId: string;
  installationId: string | null;
  /** Stable per sender: batch ids are the sender's own, so keys are scoped to it. */
  key: string;
}

/** An installation token (the apps) or a company API key with `telemetry:write` (gateways, servers). */
async function authenticateSender(c: Context<AppEnv>): Promise<Sender> {
  const token = bearerToken(c);
  if (!token) {
    throw new ApiError(
      "UNAUTHORIZED",
      "Send an installation token or a company API key as `Authorization: Bearer <token>`.",
      revalidate,
    );
  }
  if (isApiKey(token)) {
    const key = await requestApiKey(c, token);
    if (!keyAllows(key, "telemetry", "write")) {
      throw new ApiError("FORBIDDEN", "This API key lacks the telemetry:write permission.");
    }
    await limitTelemetry(c, key.companyId, { apiKeyId: key.id });
    return { companyId: key.companyId, installationId: null, key: `k:${key.id}` };
  }
  const claims = await verifyInstallationToken(getConfig(c.env).JWT_SIGNING_KEYS, token);
  c.set("actor", { type: "installation", id: claims.installationId });
  await limitTelemetry(c, claims.companyId, { installationId: claims.installationId });
  return {
    companyId: claims.companyId,
    installationId: claims.installationId,
    key: `i:${claims.installationId}`,
  };
}

export const ingestRoute = new Hono<AppEnv>().post(
  honoPath(contract.path),
  jsonBody(contract.body, TELEMETRY_LIMITS.maxBodyBytes),
  async (c) => {
    const sender = await authenticateSender(c);
    const batch = c.req.valid("json");
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
    const messages = queueMessages(
      {
        company_id: sender.companyId,
        installation_id: sender.installationId,
        keyPrefix: `${sender.key}:${batch.batch_id}`,
      },
      checked,
    );
    await enqueueAll(c.env.TELEMETRY_QUEUE, messages);
    const answer: TelemetryIngestResponse = {
      success: true,
      batch_id: batch.batch_id,
      accepted: { samples: checked.samples.length, usage: checked.usage.length },
      rejected_count: checked.rejected.length,
      rejected: checked.rejected.slice(0, TELEMETRY_LIMITS.maxListedRejections),
    };
    return c.json(answer, contract.status);
  },
);
