// Telemetry ingest: each sample and usage event is checked on its own (a bad one is listed and costs
// only itself), and the accepted ones are cut into queue messages that respect Cloudflare Queues'
// size limits. A message's key (sender, batch id, chunk) is what workers/consumers applies once.
import {
  QUEUE_MESSAGE_MAX_BYTES,
  QUEUE_SEND_BATCH_MAX_BYTES,
  QUEUE_SEND_BATCH_MAX_MESSAGES,
  TELEMETRY_LIMITS,
  type TELEMETRY_REJECTION_CODES,
  type TelemetryQueueMessage,
  type TelemetryRejection,
  TelemetrySampleSchema,
  UsageEventSchema,
} from "@nexus/contracts";
import type { z } from "zod";

type QueuedSample = Extract<TelemetryQueueMessage, { kind: "samples" }>["samples"][number];
type QueuedUsage = Extract<TelemetryQueueMessage, { kind: "samples" }>["usage"][number];
type RejectionCode = (typeof TELEMETRY_REJECTION_CODES)[number];

export interface CheckedBatch {
  samples: QueuedSample[];
  usage: QueuedUsage[];
  rejected: TelemetryRejection[];
}

const toMs = (ts: number | string) => (typeof ts === "number" ? ts : Date.parse(ts));

/** A number JSON could carry but not as a finite double, e.g. `1e999` (parsed as Infinity). */
const nonFiniteValue = (raw: unknown) =>
  typeof raw === "object" &&
  raw !== null &&
  "value" in raw &&
  typeof raw.value === "number" &&
  !Number.isFinite(raw.value);

function issueCode(error: z.ZodError, raw: unknown): { code: RejectionCode; message: string } {
  if (nonFiniteValue(raw)) return { code: "NON_FINITE_VALUE", message: "value: must be a finite number" };
  const issue = error.issues[0];
  const field = issue?.path.join(".") || "sample";
  const message = `${field}: ${issue?.message ?? "invalid"}`;
  if (field === "metric" || field === "name") return { code: "INVALID_METRIC", message };
  return { code: "INVALID_SAMPLE", message };
}

function timeProblem(ts: number, now: number): string | null {
  if (ts < now - TELEMETRY_LIMITS.maxAgeMs) return "ts: older than the accepted 7 days";
  if (ts > now + TELEMETRY_LIMITS.maxFutureMs) return "ts: more than 5 minutes in the future";
  return null;
}

/** Checks every item; `knownMachine` says whether a machine id belongs to the company. */
export function checkBatch(
  samples: unknown[],
  usage: unknown[],
  knownMachine: (id: string) => boolean,
  now = Date.now(),
): CheckedBatch {
  const checked: CheckedBatch = { samples: [], usage: [], rejected: [] };
  const reject = (kind: TelemetryRejection["kind"], index: number, code: RejectionCode, message: string) =>
    checked.rejected.push({ kind, index, code, message });

  for (const [index, raw] of samples.entries()) {
    const parsed = TelemetrySampleSchema.safeParse(raw);
    if (!parsed.success) {
      const { code, message } = issueCode(parsed.error, raw);
      reject("sample", index, code, message);
      continue;
    }
    const { machine_id, metric, value } = parsed.data;
    const ts = toMs(parsed.data.ts);
    const late = timeProblem(ts, now);
    if (late) reject("sample", index, "TIMESTAMP_OUT_OF_WINDOW", late);
    else if (!knownMachine(machine_id))
      reject("sample", index, "UNKNOWN_MACHINE", `machine_id: this company has no machine ${machine_id}`);
    else checked.samples.push({ machine_id, metric, value, ts });
  }
  for (const [index, raw] of usage.entries()) {
    const parsed = UsageEventSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      reject(
        "usage",
        index,
        "INVALID_EVENT",
        `${issue?.path.join(".") || "event"}: ${issue?.message ?? "invalid"}`,
      );
      continue;
    }
    const ts = toMs(parsed.data.ts);
    const late = timeProblem(ts, now);
    if (late) reject("usage", index, "TIMESTAMP_OUT_OF_WINDOW", late);
    else
      checked.usage.push({
        event: parsed.data.event,
        name: parsed.data.name ?? null,
        app_version: parsed.data.app_version,
        ts,
      });
  }
  return checked;
}

const encoder = new TextEncoder();
const sizeOf = (value: unknown) => encoder.encode(JSON.stringify(value)).byteLength;

/**
 * Cuts the accepted items into messages of at most QUEUE_MESSAGE_MAX_BYTES. The cut depends only on
 * the items, so a resent batch yields the same keys with the same contents.
 */
export function queueMessages(
  base: { company_id: string; installation_id: string | null; keyPrefix: string },
  checked: Pick<CheckedBatch, "samples" | "usage">,
): TelemetryQueueMessage[] {
  const messages: TelemetryQueueMessage[] = [];
  const envelope = () => ({
    kind: "samples" as const,
    company_id: base.company_id,
    key: `${base.keyPrefix}:${messages.length}`,
    installation_id: base.installation_id,
    samples: [] as QueuedSample[],
    usage: [] as QueuedUsage[],
  });
  let current = envelope();
  let size = sizeOf(current);
  const add = (item: QueuedSample | QueuedUsage, list: "samples" | "usage") => {
    const itemSize = sizeOf(item) + 1;
    if (size + itemSize > QUEUE_MESSAGE_MAX_BYTES) {
      messages.push(current);
      current = envelope();
      size = sizeOf(current);
    }
    (current[list] as unknown[]).push(item);
    size += itemSize;
  };
  for (const sample of checked.samples) add(sample, "samples");
  for (const event of checked.usage) add(event, "usage");
  if (current.samples.length + current.usage.length > 0) messages.push(current);
  return messages;
}

/** Sends messages in `sendBatch` calls within Queues' count and size limits. */
export async function enqueueAll(queue: Queue<TelemetryQueueMessage>, messages: TelemetryQueueMessage[]) {
  let group: MessageSendRequest<TelemetryQueueMessage>[] = [];
  let groupBytes = 0;
  for (const message of messages) {
    const bytes = sizeOf(message);
    if (group.length === QUEUE_SEND_BATCH_MAX_MESSAGES || groupBytes + bytes > QUEUE_SEND_BATCH_MAX_BYTES) {
      await queue.sendBatch(group);
      group = [];
      groupBytes = 0;
    }
    group.push({ body: message, contentType: "json" });
    groupBytes += bytes;
  }
  if (group.length > 0) await queue.sendBatch(group);
}
