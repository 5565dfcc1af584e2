// Checking a telemetry queue message. Nearly every message is a batch of samples straight from the
// API; zod would check each of its (up to thousands of) samples at a cost that dominated the consumer,
// so that common shape is checked by hand first. Anything else, and anything the hand check does not
// accept, goes through TelemetryQueueMessageSchema, which decides and explains.
import { type TelemetryQueueMessage, TelemetryQueueMessageSchema } from "@nexus/contracts";
import { type CheckedBody, checkWith } from "../company-batches.ts";

type SamplesMessage = Extract<TelemetryQueueMessage, { kind: "samples" }>;

/** Accepts only what QueuedSampleSchema accepts: finite numbers, an integer (safe) `ts`. */
function plainSample(raw: unknown): boolean {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return false;
  const { machine_id, metric, value, ts } = raw as Record<string, unknown>;
  return (
    typeof machine_id === "string" &&
    typeof metric === "string" &&
    typeof value === "number" &&
    Number.isFinite(value) &&
    typeof ts === "number" &&
    Number.isSafeInteger(ts)
  );
}

/** A samples message without usage events whose every field is as the schema wants, or null. */
function plainSamplesMessage(body: unknown): SamplesMessage | null {
  if (typeof body !== "object" || body === null) return null;
  const { kind, company_id, key, installation_id, samples, usage } = body as Record<string, unknown>;
  if (kind !== "samples" || typeof company_id !== "string" || typeof key !== "string") return null;
  if (installation_id !== null && typeof installation_id !== "string") return null;
  if (!Array.isArray(usage) || usage.length > 0 || !Array.isArray(samples)) return null;
  if (!samples.every(plainSample)) return null;
  return { kind, company_id, key, installation_id, samples, usage: [] };
}

export type CheckedMessage = CheckedBody<TelemetryQueueMessage>;

export function checkTelemetryMessage(body: unknown): CheckedMessage {
  const plain = plainSamplesMessage(body);
  if (plain) return { success: true, data: plain };
  return checkWith(TelemetryQueueMessageSchema, body);
}
