// Buffers machine samples and usage events for POST /api/telemetry and delivers each exactly once
// across lost answers, offline spells and restarts. The API counts a `batch_id` once, so a batch's
// id and content are fixed and saved before its first send, and every retry resends it unchanged
// until the API accepts it (202) or refuses it for good.
import {
  type ErrorCode,
  TELEMETRY_LIMITS,
  type TelemetryIngestResponse,
  type TelemetryRejection,
  type TelemetrySample,
  type UsageEvent,
} from "@nexus/contracts";
import { NexusApiError } from "./errors.ts";

/** One request body, exactly as sent. */
export interface TelemetryBatch {
  batch_id: string;
  samples: TelemetrySample[];
  usage: UsageEvent[];
}

export interface StoredTelemetryBatch {
  /** Orders batches oldest first, so a store need not keep any order itself. */
  seq: number;
  batch: TelemetryBatch;
}

/**
 * Where batches wait across restarts (a file, IndexedDB, SQLite). A batch is saved before its first
 * send and deleted once delivered or dropped; each promise should resolve only once the change is
 * durable.
 */
export interface TelemetryStore {
  /** Every saved batch not yet deleted, in any order. */
  load(): Promise<StoredTelemetryBatch[]>;
  /** Adds the batch or replaces the one with its `batch_id` (the newest grows until first sent). */
  save(entry: StoredTelemetryBatch): Promise<void>;
  /** Unknown ids are no error. */
  delete(batchId: string): Promise<void>;
}

/** Kept in memory only: survives offline spells, not restarts. */
export function memoryTelemetryStore(): TelemetryStore {
  const entries = new Map<string, StoredTelemetryBatch>();
  // Copies both ways, like a real store, so later changes never reach it without a save. JSON
  // rather than structuredClone, which React Native's Hermes lacks; batches are JSON anyway.
  const copy = (entry: StoredTelemetryBatch): StoredTelemetryBatch => JSON.parse(JSON.stringify(entry));
  return {
    load: async () => [...entries.values()].map(copy),
    save: async (entry) => {
      entries.set(entry.batch.batch_id, copy(entry));
    },
    delete: async (batchId) => {
      entries.delete(batchId);
    },
  };
}

/** Samples and events that will not reach the API, and why. Nothing is dropped without one. */
export type TelemetryDrop =
  | {
      /** Over `maxPendingSamples`: the oldest went, a whole batch at a time once sealed. */
      reason: "overflow";
      /** Undefined for samples dropped before they were sealed into a batch. */
      batchId: string | undefined;
      samples: TelemetrySample[];
      usage: UsageEvent[];
      /** The batch was sent before, so the API may have it after all (its answer was lost). */
      maybeDelivered: boolean;
    }
  | {
      /** The API refused the whole batch in a way a resend cannot fix. */
      reason: "refused";
      batchId: string;
      samples: TelemetrySample[];
      usage: UsageEvent[];
      error: NexusApiError;
    }
  | {
      /** The API accepted the batch but refused these items one by one. */
      reason: "rejected";
      batchId: string;
      /** All refused items; `rejections` lists only the first (TELEMETRY_LIMITS.maxListedRejections). */
      count: number;
      rejections: TelemetryRejection[];
      samples: TelemetrySample[];
      usage: UsageEvent[];
    };

export interface FlushResult {
  /** Batches the API accepted during this flush. */
  batches: number;
  accepted: { samples: number; usage: number };
  /** Items the API refused one by one (reported to onDrop). */
  rejected: number;
  /** Samples and events still held after the flush. */
  pending: number;
  /** Why the flush stopped early; the batch it was on is kept for the next one. */
  error?: unknown;
}

export interface TelemetryBufferOptions {
  /** Normally `(batch, { signal }) => client.sendTelemetry(batch, token(), { signal })`. */
  send: (batch: TelemetryBatch, options: { signal: AbortSignal }) => Promise<TelemetryIngestResponse>;
  /** Default `memoryTelemetryStore()`; pass a durable one to keep samples across restarts. */
  store?: TelemetryStore;
  /** A batch is sealed and sent once this many samples wait. Default 1000, at most 5000. */
  maxBatchSamples?: number;
  /** Default 10 000. */
  flushIntervalMs?: number;
  /** Samples and usage events held, sealed or not; beyond it the oldest go to onDrop. Default 100 000. */
  maxPendingSamples?: number;
  /** Longest pause after failed sends (the pause doubles per failure from `flushIntervalMs`). Default 300 000. */
  maxBackoffMs?: number;
  onDrop?: (drop: TelemetryDrop) => void;
  /** Failed sends (the batch is kept unless onDrop says otherwise) and store failures. */
  onError?: (error: unknown) => void;
  /** Default `crypto.randomUUID`. */
  newBatchId?: () => string;
  random?: () => number;
}

type Timed<T extends { ts: unknown }> = Omit<T, "ts"> & { ts?: T["ts"] };

export interface TelemetryBuffer {
  /** `ts` defaults to now. Never throws: when full, the oldest held go to onDrop. */
  record(sample: Timed<TelemetrySample>): void;
  recordUsage(event: Timed<UsageEvent>): void;
  /** Seals what waits and sends every batch now, oldest first, ignoring any backoff. Never rejects. */
  flush(): Promise<FlushResult>;
  /** Samples and usage events not yet accepted by the API. */
  pending(): number;
  /** Resumes automatic flushing after stop(). */
  start(): void;
  /** Ends automatic flushing, aborts a send in flight (its batch is kept) and saves what waits. */
  stop(): Promise<void>;
}

/**
 * Refusals of the batch itself, or of telemetry for this company at all: a resend gets the same
 * answer. Everything else is kept and retried: token and permission refusals (401/403) end with a
 * new token or an admin's fix, and an unknown 404 may be an API that does not have the route yet.
 */
const PERMANENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "VALIDATION_FAILED",
  "MALFORMED_JSON",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "TENANT_DATABASE_EXTERNAL",
]);

export function isPermanentTelemetryError(error: unknown): error is NexusApiError {
  return error instanceof NexusApiError && PERMANENT_CODES.has(error.code);
}

type Entry = { kind: "sample"; value: TelemetrySample } | { kind: "usage"; value: UsageEvent };

interface HeldBatch {
  seq: number;
  batch: TelemetryBatch;
  /** JSON size of `batch` in bytes, tracked while it may grow. */
  bytes: number;
  /** Still takes entries: created in this run and never handed to `send`. */
  open: boolean;
  /** The store holds exactly this content. */
  saved: boolean;
  /** Handed to `send` before (or loaded from the store): the API may have it. */
  sent: boolean;
}

const utf8 = new TextEncoder();
const jsonBytes = (value: unknown) => utf8.encode(JSON.stringify(value)).length;
const itemsIn = (batch: TelemetryBatch) => batch.samples.length + batch.usage.length;

export function createTelemetryBuffer(options: TelemetryBufferOptions): TelemetryBuffer {
  const store = options.store ?? memoryTelemetryStore();
  const maxBatchSamples = Math.min(
    TELEMETRY_LIMITS.maxSamples,
    wholePositive("maxBatchSamples", options.maxBatchSamples ?? 1000),
  );
  const flushIntervalMs = wholePositive("flushIntervalMs", options.flushIntervalMs ?? 10_000);
  const maxPending = wholePositive("maxPendingSamples", options.maxPendingSamples ?? 100_000);
  if (maxPending < maxBatchSamples) throw new RangeError("maxPendingSamples must be ≥ maxBatchSamples");
  const maxBackoffMs = wholePositive("maxBackoffMs", options.maxBackoffMs ?? 300_000);
  const newBatchId = options.newBatchId ?? (() => crypto.randomUUID());
  const random = options.random ?? Math.random;

  /** Oldest first. */
  let batches: HeldBatch[] = [];
  let sealedItems = 0;
  const unsealed: Entry[] = [];
  let unsealedSamples = 0;
  let unsealedUsage = 0;
  /** Dropped batches still to delete from the store; done inside a flush, so after any save of them. */
  let forgotten: string[] = [];
  let nextSeq = 0;
  let inFlight: HeldBatch | undefined;
  let failures = 0;
  let nextAttemptAt = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller = new AbortController();

  const report = (error: unknown) => {
    try {
      options.onError?.(error);
    } catch {
      // A throwing handler must not leave the buffer half-updated.
    }
  };
  const reportDrop = (drop: TelemetryDrop) => {
    try {
      options.onDrop?.(drop);
    } catch (error) {
      report(error);
    }
  };

  const loading = store.load().then(
    (stored) => {
      stored.sort((a, b) => a.seq - b.seq);
      batches = stored.map(({ seq, batch }) => ({
        seq,
        batch,
        bytes: 0,
        open: false,
        saved: true,
        sent: true,
      }));
      sealedItems = batches.reduce((sum, held) => sum + itemsIn(held.batch), 0);
      nextSeq = (stored.at(-1)?.seq ?? -1) + 1;
      enforceLimit();
    },
    (error) => report(error),
  );

  function removeBatch(held: HeldBatch) {
    const index = batches.indexOf(held);
    if (index < 0) return;
    batches.splice(index, 1);
    sealedItems -= itemsIn(held.batch);
  }

  function enforceLimit() {
    let excess = sealedItems + unsealed.length - maxPending;
    while (excess > 0) {
      const oldest = batches.find((held) => held !== inFlight);
      if (oldest) {
        removeBatch(oldest);
        forgotten.push(oldest.batch.batch_id);
        excess -= itemsIn(oldest.batch);
        const { batch_id, samples, usage } = oldest.batch;
        reportDrop({ reason: "overflow", batchId: batch_id, samples, usage, maybeDelivered: oldest.sent });
        continue;
      }
      const dropped = unsealed.splice(0, excess);
      if (dropped.length === 0) return;
      excess -= dropped.length;
      const samples = dropped.flatMap((entry) => (entry.kind === "sample" ? [entry.value] : []));
      const usage = dropped.flatMap((entry) => (entry.kind === "usage" ? [entry.value] : []));
      unsealedSamples -= samples.length;
      unsealedUsage -= usage.length;
      reportDrop({ reason: "overflow", batchId: undefined, samples, usage, maybeDelivered: false });
    }
  }

  function hold(entry: Entry) {
    unsealed.push(entry);
    if (entry.kind === "sample") unsealedSamples += 1;
    else unsealedUsage += 1;
    enforceLimit();
    if (!stopped && (unsealedSamples >= maxBatchSamples || unsealedUsage >= TELEMETRY_LIMITS.maxUsageEvents))
      void requestFlush(false);
  }

  function fits(held: HeldBatch, entry: Entry, bytes: number): boolean {
    const list = entry.kind === "sample" ? held.batch.samples : held.batch.usage;
    const limit = entry.kind === "sample" ? maxBatchSamples : TELEMETRY_LIMITS.maxUsageEvents;
    return list.length < limit && held.bytes + bytes + 1 <= TELEMETRY_LIMITS.maxBodyBytes;
  }

  /** Moves waiting entries into the newest batch while it is open and has room, else into new ones. */
  function seal() {
    let moved = 0;
    try {
      for (const entry of unsealed) {
        const bytes = jsonBytes(entry.value);
        let tail = batches.at(-1);
        if (!tail?.open || !fits(tail, entry, bytes)) {
          const batch: TelemetryBatch = { batch_id: newBatchId(), samples: [], usage: [] };
          tail = { seq: nextSeq++, batch, bytes: jsonBytes(batch), open: true, saved: false, sent: false };
          batches.push(tail);
        }
        const { samples, usage } = tail.batch;
        // One byte for the comma before every item but the first of its array.
        tail.bytes += bytes + ((entry.kind === "sample" ? samples : usage).length > 0 ? 1 : 0);
        if (entry.kind === "sample") {
          samples.push(entry.value);
          unsealedSamples -= 1;
        } else {
          usage.push(entry.value);
          unsealedUsage -= 1;
        }
        tail.saved = false;
        moved += 1;
      }
    } finally {
      // Even when newBatchId throws, no entry may end up both sealed and still waiting.
      unsealed.splice(0, moved);
      sealedItems += moved;
    }
  }

  /** Brings the store up to date; returns the first failure. Unsaved batches are not sent. */
  async function persist(): Promise<unknown> {
    let failure: unknown;
    const ids = forgotten;
    forgotten = [];
    for (const [index, batchId] of ids.entries()) {
      try {
        await store.delete(batchId);
      } catch (error) {
        // Left in the store, a batch only comes back after a restart: the API ignores it if it
        // counted it already, and a dropped one arrives late rather than never.
        forgotten.push(...ids.slice(index));
        failure = error;
        break;
      }
    }
    for (const held of [...batches]) {
      if (held.saved || !batches.includes(held)) continue;
      try {
        await store.save({ seq: held.seq, batch: held.batch });
        held.saved = true;
      } catch (error) {
        failure ??= error;
        break;
      }
    }
    if (failure !== undefined) report(failure);
    return failure;
  }

  function backOff(error: unknown) {
    failures += 1;
    const ceiling = Math.min(maxBackoffMs, flushIntervalMs * 2 ** (failures - 1));
    // Jittered, so installations that lost the API together do not all come back in the same second.
    const delay = ceiling * (0.5 + random() / 2);
    const hinted = error instanceof NexusApiError ? (error.retryAfterMs ?? 0) : 0;
    nextAttemptAt = Date.now() + Math.max(delay, hinted);
  }

  function accepted(held: HeldBatch, answer: TelemetryIngestResponse, result: FlushResult) {
    result.batches += 1;
    result.accepted.samples += answer.accepted.samples;
    result.accepted.usage += answer.accepted.usage;
    result.rejected += answer.rejected_count;
    if (answer.rejected_count === 0) return;
    const { batch_id, samples, usage } = held.batch;
    reportDrop({
      reason: "rejected",
      batchId: batch_id,
      count: answer.rejected_count,
      rejections: answer.rejected,
      samples: listed(answer.rejected, "sample", samples),
      usage: listed(answer.rejected, "usage", usage),
    });
  }

  /** One batch at a time, oldest first, until all are delivered or one has to wait. */
  async function deliver(result: FlushResult) {
    const { signal } = controller;
    for (let held = batches[0]; held?.saved; held = batches[0]) {
      // From here on the content is fixed: the API may store it even if no answer comes back.
      held.open = false;
      held.sent = true;
      inFlight = held;
      try {
        const answer = await options.send(held.batch, { signal });
        inFlight = undefined;
        removeBatch(held);
        forgotten.push(held.batch.batch_id);
        failures = 0;
        nextAttemptAt = 0;
        accepted(held, answer, result);
      } catch (error) {
        inFlight = undefined;
        // stop(): the batch stays and goes out after the next start or restart.
        if (signal.aborted) return;
        report(error);
        if (!isPermanentTelemetryError(error)) {
          backOff(error);
          result.error = error;
          return;
        }
        removeBatch(held);
        forgotten.push(held.batch.batch_id);
        const { batch_id, samples, usage } = held.batch;
        reportDrop({ reason: "refused", batchId: batch_id, samples, usage, error });
      }
    }
  }

  async function flushOnce(explicit: boolean): Promise<FlushResult> {
    const result: FlushResult = { batches: 0, accepted: { samples: 0, usage: 0 }, rejected: 0, pending: 0 };
    try {
      seal();
      const storeError = await persist();
      if (explicit || (!stopped && Date.now() >= nextAttemptAt)) await deliver(result);
      // Deletes the delivered batches now rather than at the next flush.
      const cleanupError = await persist();
      const error = result.error ?? storeError ?? cleanupError;
      if (error !== undefined) result.error = error;
    } catch (error) {
      // Only a throwing newBatchId gets here; the flush chain and the timer must survive it.
      report(error);
      result.error = error;
    }
    result.pending = sealedItems + unsealed.length;
    return result;
  }

  // One flush at a time; requests that arrive meanwhile share a single follow-up flush.
  let chain: Promise<unknown> = loading;
  let queued: Promise<FlushResult> | undefined;
  let queuedExplicit = false;
  function requestFlush(explicit: boolean): Promise<FlushResult> {
    queuedExplicit ||= explicit;
    if (!queued) {
      queued = chain.then(() => {
        const runExplicit = queuedExplicit;
        queued = undefined;
        queuedExplicit = false;
        return flushOnce(runExplicit);
      });
      chain = queued;
    }
    return queued;
  }

  function schedule() {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(async () => {
      await requestFlush(false);
      schedule();
    }, flushIntervalMs);
  }
  schedule();

  return {
    record(sample) {
      hold({ kind: "sample", value: { ...sample, ts: sample.ts ?? Date.now() } });
    },
    recordUsage(event) {
      hold({ kind: "usage", value: { ...event, ts: event.ts ?? Date.now() } });
    },
    flush: () => requestFlush(true),
    pending: () => sealedItems + unsealed.length,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      controller.abort(new DOMException("Telemetry buffer stopped", "AbortError"));
      controller = new AbortController();
      await requestFlush(false);
    },
  };
}

/** The refused items the API listed, looked up by their index in the batch. */
function listed<T>(rejections: TelemetryRejection[], kind: TelemetryRejection["kind"], items: T[]): T[] {
  return rejections.flatMap((rejection) => {
    const item = rejection.kind === kind ? items[rejection.index] : undefined;
    return item === undefined ? [] : [item];
  });
}

function wholePositive(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a whole number > 0`);
  return value;
}
