import {
  type ErrorCode,
  errorStatus,
  TelemetryBatchRequestSchema,
  type TelemetryRejection,
  TelemetrySampleSchema,
  UsageEventSchema,
} from "@nexus/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { errorEnvelope, hangUntilAborted, sleep, testClient, waitFor } from "../test/harness.ts";
import {
  createTelemetryBuffer,
  type FetchLike,
  isPermanentTelemetryError,
  memoryTelemetryStore,
  NexusApiError,
  NexusNetworkError,
  type TelemetryBuffer,
  type TelemetryBufferOptions,
  type TelemetryDrop,
  type TelemetryIngestResponse,
  type TelemetrySample,
} from "./index.ts";

const TOKEN = "installation-token-1";

/** What the server does with the next request; after the script it answers normally. */
type Step = "ok" | "offline" | "lose-answer" | "hang" | { code: ErrorCode };

interface Attempt {
  batchId: string;
  body: string;
}

/**
 * Stands in for POST /api/telemetry (the route is not in this worker yet) on the wire: bearer
 * token, the contract's envelope and item schemas, error envelopes, and each batch_id counted once.
 */
function telemetryServer() {
  const attempts: Attempt[] = [];
  const counted = new Map<string, { answer: TelemetryIngestResponse; samples: TelemetrySample[] }>();
  const script: Step[] = [];
  const state = { offline: false, tokens: new Set([TOKEN]) };

  const fail = (code: ErrorCode) =>
    new Response(JSON.stringify(errorEnvelope(code)), {
      status: errorStatus[code],
      headers: { "content-type": "application/json" },
    });

  const fetch: FetchLike = async (input, init) => {
    const body = typeof init.body === "string" ? init.body : "";
    attempts.push({ batchId: (JSON.parse(body) as { batch_id: string }).batch_id, body });
    const step = script.shift() ?? (state.offline ? "offline" : "ok");
    if (step === "offline") throw new TypeError("fetch failed");
    if (step === "hang") return hangUntilAborted(input, init);
    if (init.method !== "POST" || new URL(input).pathname !== "/api/telemetry") return fail("NOT_FOUND");
    const token = new Headers(init.headers).get("authorization")?.replace(/^Bearer /, "") ?? "";
    if (!state.tokens.has(token)) return fail("INVALID_TOKEN");
    if (typeof step === "object") return fail(step.code);
    const parsed = TelemetryBatchRequestSchema.safeParse(JSON.parse(body));
    if (!parsed.success) return fail("VALIDATION_FAILED");
    const batch = parsed.data;
    let entry = counted.get(batch.batch_id);
    if (!entry) {
      const rejected: TelemetryRejection[] = [];
      const samples = batch.samples.flatMap((item, index) => {
        const sample = TelemetrySampleSchema.safeParse(item);
        if (sample.success) return [sample.data];
        rejected.push({ kind: "sample", index, code: "INVALID_SAMPLE", message: "not a sample" });
        return [];
      });
      const usage = batch.usage.filter((item) => UsageEventSchema.safeParse(item).success).length;
      const answer: TelemetryIngestResponse = {
        success: true,
        batch_id: batch.batch_id,
        accepted: { samples: samples.length, usage },
        rejected_count: rejected.length,
        rejected,
      };
      entry = { answer, samples };
      counted.set(batch.batch_id, entry);
    }
    if (step === "lose-answer") throw new TypeError("connection reset after the batch was stored");
    return new Response(JSON.stringify(entry.answer), {
      status: 202,
      headers: { "content-type": "application/json" },
    });
  };

  return {
    fetch,
    attempts,
    counted,
    script,
    state,
    /** Sample values the server counted, in order of arrival. */
    values: () => [...counted.values()].flatMap((entry) => entry.samples.map((sample) => sample.value)),
    attemptsOf: (batchId: string) => attempts.filter((attempt) => attempt.batchId === batchId),
  };
}

type Server = ReturnType<typeof telemetryServer>;

const running: TelemetryBuffer[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const buffer of running.splice(0)) await buffer.stop();
  vi.useRealTimers();
  // The guarantee behind every test: a batch id always travels with the same content.
  for (const server of servers.splice(0)) {
    for (const { batchId, body } of server.attempts) {
      expect(server.attemptsOf(batchId).every((attempt) => attempt.body === body)).toBe(true);
    }
  }
});

function setUp(overrides: Partial<TelemetryBufferOptions> = {}, server = telemetryServer()) {
  servers.push(server);
  const client = testClient(server.fetch, { retries: 0 });
  const drops: TelemetryDrop[] = [];
  const errors: unknown[] = [];
  const credential = { token: TOKEN };
  const buffer = createTelemetryBuffer({
    send: (batch, { signal }) => client.sendTelemetry(batch, credential.token, { signal }),
    onDrop: (drop) => drops.push(drop),
    onError: (error) => errors.push(error),
    flushIntervalMs: 60_000,
    ...overrides,
  });
  running.push(buffer);
  return { buffer, server, drops, errors, credential };
}

const sample = (value: number) => ({
  machine_id: "press-1",
  metric: "temperature",
  value,
  ts: 1_000 + value,
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);
function recordRange(buffer: TelemetryBuffer, from: number, to: number) {
  for (const value of range(from, to)) buffer.record(sample(value));
}

describe("createTelemetryBuffer", () => {
  it("delivers samples and usage events in one batch and fills in missing timestamps", async () => {
    const { buffer, server, drops, errors } = setUp();
    const before = Date.now();
    buffer.record({ machine_id: "press-1", metric: "spindle.rpm", value: 1200 });
    buffer.record(sample(7));
    buffer.recordUsage({ event: "feature.used", name: "oee_report", app_version: "1.4.0" });
    expect(buffer.pending()).toBe(3);

    const result = await buffer.flush();

    expect(result).toEqual({ batches: 1, accepted: { samples: 2, usage: 1 }, rejected: 0, pending: 0 });
    expect(buffer.pending()).toBe(0);
    expect(server.attempts).toHaveLength(1);
    const sent = JSON.parse(server.attempts[0]?.body ?? "") as {
      samples: { ts: number }[];
      usage: { ts: number }[];
    };
    expect(sent.samples[0]?.ts).toBeGreaterThanOrEqual(before);
    expect(sent.samples[0]?.ts).toBeLessThanOrEqual(Date.now());
    expect(sent.samples[1]?.ts).toBe(1_007);
    expect(sent.usage[0]?.ts).toBeGreaterThanOrEqual(before);
    expect(server.values()).toEqual([1200, 7]);
    expect(await buffer.flush()).toMatchObject({ batches: 0, pending: 0 });
    expect(server.attempts).toHaveLength(1);
    expect(drops).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("resends the identical batch after a lost answer, and the server counts it once", async () => {
    const { buffer, server, errors } = setUp();
    server.script.push("lose-answer");
    recordRange(buffer, 0, 5);

    const first = await buffer.flush();
    expect(first.batches).toBe(0);
    expect(first.pending).toBe(5);
    expect(first.error).toBeInstanceOf(NexusNetworkError);
    expect(errors).toHaveLength(1);
    expect(server.counted.size).toBe(1); // stored, but the app never heard

    const second = await buffer.flush();
    expect(second).toMatchObject({ batches: 1, accepted: { samples: 5, usage: 0 }, pending: 0 });
    const [lost, retry] = server.attempts;
    expect(server.attempts).toHaveLength(2);
    expect(retry?.batchId).toBe(lost?.batchId);
    expect(retry?.body).toBe(lost?.body);
    expect(server.values()).toEqual(range(0, 5));
  });

  it("holds batches while offline and delivers every sample once when back", async () => {
    const { buffer, server, errors } = setUp();
    server.state.offline = true;
    recordRange(buffer, 0, 10);
    await buffer.flush();
    recordRange(buffer, 10, 20);
    await buffer.flush();
    recordRange(buffer, 20, 30);
    const offline = await buffer.flush();
    expect(offline.error).toBeInstanceOf(NexusNetworkError);
    expect(offline.pending).toBe(30);
    expect(errors).toHaveLength(3);
    // Only the oldest batch was tried; the newer samples joined one batch that was never sent.
    expect(new Set(server.attempts.map((attempt) => attempt.batchId)).size).toBe(1);

    server.state.offline = false;
    const back = await buffer.flush();

    expect(back).toMatchObject({ batches: 2, accepted: { samples: 30, usage: 0 }, pending: 0 });
    expect(server.values()).toEqual(range(0, 30));
  });

  it("resumes saved batches in a new buffer over the same store after a restart", async () => {
    const store = memoryTelemetryStore();
    const server = telemetryServer();
    const before = setUp({ store }, server);
    server.script.push("lose-answer");
    recordRange(before.buffer, 0, 5);
    await before.buffer.flush();
    recordRange(before.buffer, 5, 8);
    await before.buffer.stop(); // seals the last three into the store, sends nothing
    expect(server.attempts).toHaveLength(1);
    expect((await store.load()).map((entry) => entry.batch.samples.length)).toEqual([5, 3]);

    const after = setUp({ store }, server);
    const result = await after.buffer.flush();

    expect(result).toMatchObject({ batches: 2, pending: 0 });
    const firstId = server.attempts[0]?.batchId ?? "";
    expect(server.attemptsOf(firstId)).toHaveLength(2);
    expect(server.values()).toEqual(range(0, 8));
    expect(await store.load()).toEqual([]);
  });

  it("keeps the batch of a send that stop() aborts, for the next run", async () => {
    const store = memoryTelemetryStore();
    const server = telemetryServer();
    const { buffer, errors } = setUp({ store }, server);
    server.script.push("hang");
    recordRange(buffer, 0, 3);
    const flushing = buffer.flush();
    await waitFor(() => server.attempts.length === 1, 3_000, "the send");

    await buffer.stop();

    expect(await flushing).toMatchObject({ batches: 0, pending: 3 });
    expect(errors).toEqual([]); // stopping is no failure
    const next = setUp({ store }, server);
    expect(await next.buffer.flush()).toMatchObject({ batches: 1, pending: 0 });
    expect(server.attempts.map((attempt) => attempt.batchId)).toEqual([
      server.attempts[0]?.batchId,
      server.attempts[0]?.batchId,
    ]);
    expect(server.values()).toEqual(range(0, 3));
  });

  it("drops the oldest batch over maxPendingSamples and reports it to onDrop", async () => {
    const store = memoryTelemetryStore();
    const { buffer, server, drops } = setUp({ store, maxBatchSamples: 10, maxPendingSamples: 25 });
    server.state.offline = true;
    recordRange(buffer, 0, 10);
    await buffer.flush();
    recordRange(buffer, 10, 20);
    await buffer.flush();
    expect(drops).toEqual([]);

    recordRange(buffer, 20, 30);

    const oldestId = server.attempts[0]?.batchId;
    expect(drops).toEqual([
      {
        reason: "overflow",
        batchId: oldestId,
        samples: range(0, 10).map(sample),
        usage: [],
        maybeDelivered: true,
      },
    ]);
    expect(buffer.pending()).toBe(20);
    server.state.offline = false;
    expect(await buffer.flush()).toMatchObject({ batches: 2, pending: 0 });
    expect(server.values()).toEqual(range(10, 30));
    expect(server.counted.has(oldestId ?? "")).toBe(false);
    expect(await store.load()).toEqual([]);
  });

  it("drops the oldest unsealed samples one by one while stopped", async () => {
    const { buffer, server, drops } = setUp({ maxBatchSamples: 10, maxPendingSamples: 25 });
    await buffer.stop();
    recordRange(buffer, 0, 28);
    expect(buffer.pending()).toBe(25);
    expect(drops.map((drop) => drop.reason)).toEqual(["overflow", "overflow", "overflow"]);
    expect(drops.flatMap((drop) => (drop.reason === "overflow" ? drop.samples : []))).toEqual(
      range(0, 3).map(sample),
    );
    expect(server.attempts).toEqual([]); // stopped: nothing goes out on its own

    expect(await buffer.flush()).toMatchObject({ batches: 3, pending: 0 });
    expect(server.values()).toEqual(range(3, 28));
  });

  it("drops a batch the API refuses for good and goes on with the next", async () => {
    const ids = ["not a valid id!", "batch-0000000002"];
    const { buffer, server, drops, errors } = setUp({
      maxBatchSamples: 3,
      newBatchId: () => ids.shift() ?? crypto.randomUUID(),
    });
    recordRange(buffer, 0, 5);

    const result = await buffer.flush();

    expect(result).toMatchObject({ batches: 1, accepted: { samples: 2, usage: 0 }, pending: 0 });
    expect(result.error).toBeUndefined();
    expect(drops).toHaveLength(1);
    const [refused] = drops;
    expect(refused?.reason).toBe("refused");
    if (refused?.reason !== "refused") return;
    expect(refused.batchId).toBe("not a valid id!");
    expect(refused.samples).toEqual(range(0, 3).map(sample));
    expect(refused.error.code).toBe("VALIDATION_FAILED");
    expect(errors).toEqual([refused.error]);
    expect(server.values()).toEqual([3, 4]);
    expect(await buffer.flush()).toMatchObject({ batches: 0 });
    expect(server.attemptsOf("not a valid id!")).toHaveLength(1);
  });

  it("keeps the batch when the token is refused and delivers it with a new one", async () => {
    const { buffer, server, drops, errors, credential } = setUp();
    credential.token = "expired-token";
    recordRange(buffer, 0, 4);

    const refused = await buffer.flush();

    expect(refused.pending).toBe(4);
    expect(refused.error).toBeInstanceOf(NexusApiError);
    expect(refused.error instanceof NexusApiError && refused.error.shouldRevalidate).toBe(true);
    expect(errors).toHaveLength(1);
    expect(drops).toEqual([]);
    credential.token = TOKEN;
    expect(await buffer.flush()).toMatchObject({ batches: 1, pending: 0 });
    expect(server.attempts).toHaveLength(2);
    expect(server.values()).toEqual(range(0, 4));
  });

  it("keeps the batch on a suspended company or a rate limit", async () => {
    const { buffer, server, drops } = setUp();
    server.script.push({ code: "COMPANY_SUSPENDED" }, { code: "RATE_LIMITED" });
    recordRange(buffer, 0, 2);
    expect((await buffer.flush()).pending).toBe(2);
    expect((await buffer.flush()).pending).toBe(2);
    expect((await buffer.flush()).pending).toBe(0);
    expect(drops).toEqual([]);
    expect(server.values()).toEqual([0, 1]);
  });

  it("reports samples the API refuses one by one and does not resend them", async () => {
    const { buffer, server, drops } = setUp();
    buffer.record(sample(1));
    buffer.record({ machine_id: "press-1", metric: "Not A Metric", value: 2, ts: 1_002 });
    buffer.record(sample(3));

    const result = await buffer.flush();

    expect(result).toMatchObject({ batches: 1, accepted: { samples: 2, usage: 0 }, rejected: 1, pending: 0 });
    expect(drops).toEqual([
      {
        reason: "rejected",
        batchId: server.attempts[0]?.batchId,
        count: 1,
        rejections: [{ kind: "sample", index: 1, code: "INVALID_SAMPLE", message: "not a sample" }],
        samples: [{ machine_id: "press-1", metric: "Not A Metric", value: 2, ts: 1_002 }],
        usage: [],
      },
    ]);
    await buffer.flush();
    expect(server.attempts).toHaveLength(1);
  });

  it("sends as soon as maxBatchSamples samples wait", async () => {
    const { buffer, server } = setUp({ maxBatchSamples: 5 });
    recordRange(buffer, 0, 4);
    await sleep(50);
    expect(server.attempts).toEqual([]);

    buffer.record(sample(4));

    await waitFor(() => buffer.pending() === 0, 3_000, "the size-triggered flush");
    expect(server.attempts).toHaveLength(1);
    expect(server.values()).toEqual(range(0, 5));
  });

  it("sends on the interval, and backs off while the API cannot be reached", async () => {
    vi.useFakeTimers();
    const { buffer, server } = setUp({ flushIntervalMs: 1_000, random: () => 1 });
    server.state.offline = true;
    recordRange(buffer, 0, 3);
    const tries = () => server.attempts.length;

    await vi.advanceTimersByTimeAsync(999);
    expect(tries()).toBe(0);
    await vi.advanceTimersByTimeAsync(1); // t = 1 s: first try; the pause doubles from here
    expect(tries()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000); // 2 s
    expect(tries()).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000); // 3 s: still in the 2 s pause
    expect(tries()).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000); // 4 s
    expect(tries()).toBe(3);
    await vi.advanceTimersByTimeAsync(3_000); // 7 s: in the 4 s pause
    expect(tries()).toBe(3);

    server.state.offline = false;
    await vi.advanceTimersByTimeAsync(1_000); // 8 s
    expect(tries()).toBe(4);
    expect(buffer.pending()).toBe(0);
    expect(server.values()).toEqual(range(0, 3));
  });
});

describe("isPermanentTelemetryError", () => {
  const apiError = (code: ErrorCode) =>
    new NexusApiError({
      status: errorStatus[code],
      code,
      message: code,
      details: undefined,
      requestId: "req-1",
      retryAfterMs: undefined,
    });

  it("gives up only on refusals a resend cannot change", () => {
    const permanent = [
      "VALIDATION_FAILED",
      "MALFORMED_JSON",
      "PAYLOAD_TOO_LARGE",
      "UNSUPPORTED_MEDIA_TYPE",
      "TENANT_DATABASE_EXTERNAL",
    ] as const;
    const kept = [
      "UNAUTHORIZED",
      "INVALID_TOKEN",
      "TOKEN_EXPIRED",
      "FORBIDDEN",
      "COMPANY_SUSPENDED",
      "INSTALLATION_DEACTIVATED",
      "COMPANY_NOT_FOUND",
      "NOT_FOUND",
      "RATE_LIMITED",
      "SERVICE_UNAVAILABLE",
    ] as const;
    for (const code of permanent) expect(isPermanentTelemetryError(apiError(code)), code).toBe(true);
    for (const code of kept) expect(isPermanentTelemetryError(apiError(code)), code).toBe(false);
    const offline = new NexusNetworkError("offline", { attempts: 1, timedOut: false, cause: undefined });
    expect(isPermanentTelemetryError(offline)).toBe(false);
  });

  it("rejects options that cannot work", () => {
    const send = async (): Promise<TelemetryIngestResponse> => {
      throw new Error("not called");
    };
    expect(() => createTelemetryBuffer({ send, maxBatchSamples: 0 })).toThrow(RangeError);
    expect(() => createTelemetryBuffer({ send, maxBatchSamples: 100, maxPendingSamples: 50 })).toThrow(
      RangeError,
    );
  });
});
