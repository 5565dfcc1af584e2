import type { Machine, TelemetryIngestResponse, TelemetryQueueMessage } from "@nexus/contracts";
import { QUEUE_MESSAGE_MAX_BYTES, TelemetrySampleSchema } from "@nexus/contracts";
import { describe, expect, it, vi } from "vitest";
import {
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { checkBatch, cutMessages, queueMessages } from "../../services/telemetry-ingest.ts";

async function setup() {
  const company = await registerCompany();
  const created = await callAsOperator(`/api/admin/companies/${company.company_id}/machines`, {
    body: { name: "Lathe" },
  });
  const machine = (await json<{ machine: Machine }>(created)).machine;
  const { installation } = await validatedMachine(company.company_code, "pc-telemetry");
  return { company, machine, token: installation?.token as string };
}

const now = () => Date.now();

describe("POST /api/telemetry", () => {
  it("accepts good samples and events with 202 and lists every rejected one with a reason", async () => {
    const { machine, token } = await setup();
    const response = await call("/api/telemetry", {
      token,
      body: {
        batch_id: "batch-0001",
        samples: [
          { machine_id: machine.id, metric: "temperature", value: 71.5, ts: now() },
          { machine_id: machine.id, metric: "rpm", value: 1200, ts: new Date().toISOString() },
          { machine_id: machine.id, metric: "Temperature!", value: 1, ts: now() },
          { machine_id: machine.id, metric: "temperature", value: "hot", ts: now() },
          { machine_id: machine.id, metric: "temperature", value: 1, ts: now() - 8 * 86_400_000 },
          { machine_id: machine.id, metric: "temperature", value: 1, ts: now() + 3_600_000 },
          { machine_id: "not-a-machine", metric: "temperature", value: 1, ts: now() },
          "not an object",
        ],
        usage: [
          { event: "app.started", app_version: "1.4.2", ts: now() },
          { event: "app.crashed", app_version: "1.4.2", ts: now() },
        ],
      },
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const body = await json<TelemetryIngestResponse>(response);
    expect(body.accepted).toEqual({ samples: 2, usage: 1 });
    expect(body.rejected_count).toBe(7);
    expect(body.rejected.map(({ kind, index, code }) => `${kind}[${index}] ${code}`)).toEqual([
      "sample[2] INVALID_METRIC",
      "sample[3] INVALID_SAMPLE",
      "sample[4] TIMESTAMP_OUT_OF_WINDOW",
      "sample[5] TIMESTAMP_OUT_OF_WINDOW",
      "sample[6] UNKNOWN_MACHINE",
      "sample[7] INVALID_SAMPLE",
      "usage[1] INVALID_EVENT",
    ]);
    expect(body.rejected.every((rejection) => rejection.message.length > 5)).toBe(true);
  });

  it("refuses non-finite values (JSON's 1e999) as NON_FINITE_VALUE", async () => {
    const { machine, token } = await setup();
    const raw = `{"batch_id":"batch-0002","samples":[{"machine_id":"${machine.id}","metric":"power","value":1e999,"ts":${now()}}]}`;
    const body = await json<TelemetryIngestResponse>(await call("/api/telemetry", { token, body: raw }));
    expect(body.rejected).toMatchObject([{ index: 0, code: "NON_FINITE_VALUE" }]);
    expect(body.accepted.samples).toBe(0);
  });

  it("refuses a bad envelope, a missing or wrong credential, and an API key without telemetry:write", async () => {
    const { company, machine, token } = await setup();
    const sample = { machine_id: machine.id, metric: "rpm", value: 1, ts: now() };
    await expectError(
      await call("/api/telemetry", { body: { batch_id: "b-000001", samples: [sample] } }),
      401,
      "UNAUTHORIZED",
    );
    await expectError(
      await call("/api/telemetry", {
        token: `${token.slice(0, -4)}AAAA`,
        body: { batch_id: "b-000001", samples: [sample] },
      }),
      401,
      "INVALID_TOKEN",
    );
    await expectError(
      await call("/api/telemetry", { token, body: { batch_id: "no", samples: [sample] } }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await call("/api/telemetry", { token, body: { batch_id: "b-000001" } }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await call("/api/telemetry", {
        token,
        body: { batch_id: "b-000001", samples: Array(5001).fill(sample) },
      }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await call("/api/telemetry", {
        token,
        body: `{"batch_id":"b-000001","samples":[${"1,".repeat(600_000)}1]}`,
      }),
      413,
      "PAYLOAD_TOO_LARGE",
    );

    const keyFor = async (permissions: Record<string, string[]>) => {
      const created = await callAsOperator(`/api/admin/companies/${company.company_id}/api-keys`, {
        body: { name: "gateway", permissions },
      });
      return (await json<{ key: string }>(created)).key;
    };
    const reader = await keyFor({ telemetry: ["read"] });
    await expectError(
      await call("/api/telemetry", { token: reader, body: { batch_id: "b-000001", samples: [sample] } }),
      403,
      "FORBIDDEN",
    );
    const writer = await keyFor({ telemetry: ["write"] });
    const accepted = await call("/api/telemetry", {
      token: writer,
      body: { batch_id: "b-000001", samples: [sample] },
    });
    expect(accepted.status).toBe(202);
    expect((await json<TelemetryIngestResponse>(accepted)).accepted.samples).toBe(1);
  });

  it("refuses a deactivated installation and a suspended company", async () => {
    const { company, machine, token } = await setup();
    const body = {
      batch_id: "b-000002",
      samples: [{ machine_id: machine.id, metric: "rpm", value: 1, ts: now() }],
    };
    await callAsOperator(`/api/admin/companies/${company.company_id}/suspend`, {
      body: { reason: "unpaid" },
    });
    await expectError(await call("/api/telemetry", { token, body }), 403, "COMPANY_SUSPENDED");
    await callAsOperator(`/api/admin/companies/${company.company_id}/resume`, { body: {} });
    expect((await call("/api/telemetry", { token, body })).status).toBe(202);
    const { installation } = await validatedMachine(company.company_code, "pc-telemetry");
    await callAsOperator(
      `/api/admin/companies/${company.company_id}/installations/${installation?.id}/deactivate`,
      { body: {} },
    );
    await expectError(await call("/api/telemetry", { token, body }), 403, "INSTALLATION_DEACTIVATED");
  });

  it("never names another company's machine as known", async () => {
    const { machine } = await setup();
    const other = await registerCompany();
    const { installation } = await validatedMachine(other.company_code, "pc-other");
    const response = await call("/api/telemetry", {
      token: installation?.token as string,
      body: {
        batch_id: "b-000003",
        samples: [{ machine_id: machine.id, metric: "rpm", value: 1, ts: now() }],
      },
    });
    expect((await json<TelemetryIngestResponse>(response)).rejected).toMatchObject([
      { code: "UNKNOWN_MACHINE" },
    ]);
  });
});

describe("queue messages", () => {
  const samples = Array.from({ length: 4000 }, (_, i) => ({
    machine_id: `machine-${i % 7}`,
    metric: "vibration.rms",
    value: i / 3,
    ts: 1_790_000_000_000 + i,
  }));
  const base = { company_id: "c1", installation_id: "i1", keyPrefix: "i:i1:batch-1" };

  it("stay under the queue's message size, keep every item once and cut the same way every time", () => {
    const checked = checkBatch(samples, [], () => true, 1_790_000_000_000);
    const messages = queueMessages(base, checked);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(new TextEncoder().encode(JSON.stringify(message)).byteLength).toBeLessThanOrEqual(
        QUEUE_MESSAGE_MAX_BYTES,
      );
    }
    const all = messages.flatMap((m) => (m as Extract<TelemetryQueueMessage, { kind: "samples" }>).samples);
    expect(all).toEqual(samples);
    expect(messages.map((m) => (m.kind === "samples" ? m.key : ""))).toEqual(
      messages.map((_, i) => `i:i1:batch-1:${i}`),
    );
    expect(
      queueMessages(
        base,
        checkBatch(samples, [], () => true, 1_790_000_000_000),
      ),
    ).toEqual(messages);
  });
});

describe("the sample check", () => {
  const NOW = 1_790_000_000_000;
  const good = { machine_id: "m-1", metric: "temperature", value: 21.5, ts: NOW - 1000 };
  const inherited = Object.assign(Object.create({ ts: NOW }), { machine_id: "m-1", metric: "rpm", value: 1 });
  const corpus: unknown[] = [
    good,
    { ...good, value: -0 },
    { ...good, value: 1e21 },
    { ...good, ts: new Date(NOW).toISOString() },
    { ...good, ts: NOW + 0.5 },
    { ...good, ts: -1 },
    { ...good, ts: 2 ** 60 },
    { ...good, ts: "yesterday" },
    { ...good, value: Number.POSITIVE_INFINITY },
    { ...good, value: Number.NaN },
    { ...good, value: "21.5" },
    { ...good, machine_id: "" },
    { ...good, machine_id: "m".repeat(64) },
    { ...good, machine_id: "m".repeat(65) },
    { ...good, machine_id: "😀".repeat(32) },
    { ...good, metric: "Temperature" },
    { ...good, metric: "t".repeat(64) },
    { ...good, metric: "t".repeat(65) },
    { ...good, extra: 1 },
    { machine_id: "m-1", metric: "rpm", value: 1 },
    JSON.parse(`{"machine_id":"m-1","metric":"rpm","value":1,"__proto__":{"ts":${NOW}}}`),
    inherited,
    [good],
    null,
    "sample",
  ];

  it("accepts exactly what the sample schema accepts, with the same values", () => {
    for (const raw of corpus) {
      const checked = checkBatch([raw], [], () => true, NOW);
      const reference = TelemetrySampleSchema.safeParse(raw);
      expect(checked.samples.length === 1, JSON.stringify(raw)).toBe(reference.success);
      if (reference.success) {
        const { ts } = reference.data;
        expect(checked.samples[0]).toEqual({
          ...reference.data,
          ts: typeof ts === "number" ? ts : Date.parse(ts),
        });
      } else {
        expect(checked.rejected).toHaveLength(1);
      }
    }
  });

  it("leaves the schema to the samples that need it: an ISO time, a bad field", () => {
    const parse = vi.spyOn(TelemetrySampleSchema, "safeParse");
    try {
      const samples = [
        good,
        { ...good, value: 3 },
        { ...good, ts: new Date(NOW).toISOString() },
        { ...good, value: "3" },
      ];
      const checked = checkBatch(samples, [], () => true, NOW);
      expect(checked.samples).toHaveLength(3);
      expect(checked.rejected).toMatchObject([{ index: 3, code: "INVALID_SAMPLE" }]);
      expect(parse.mock.calls.map(([raw]) => raw)).toEqual([samples[2], samples[3]]);
    } finally {
      parse.mockRestore();
    }
  });
});

describe("message sizes", () => {
  const encoder = new TextEncoder();
  const bytes = (value: unknown) => encoder.encode(JSON.stringify(value)).byteLength;
  const ids = ["m-1", 'quote"d', "back\\slash", "tab\tand\u0001", "é-机器-😀"];
  const values = [0, -0, 1e21, -123.456e-7, 0.1 + 0.2, 5e-324, 1_000_000];
  const samples = Array.from({ length: 6000 }, (_, i) => ({
    machine_id: ids[i % ids.length] as string,
    metric: i % 3 ? "vibration.rms" : "t",
    value: values[i % values.length] as number,
    ts: 1_790_000_000_000 + i * 7919,
  }));
  const base = { company_id: "c1", installation_id: null, keyPrefix: "k:key-1:batch-1" };

  it("are exact, and the cut is the one the JSON of each item gives", () => {
    const sized = cutMessages(base, { samples, usage: [] });
    for (const { message, bytes: size } of sized) expect(size).toBe(bytes(message));
    // The cut as computed from each sample's JSON (what resent batches were cut by before).
    const counts: number[] = [];
    const envelope = (chunk: number) =>
      bytes({
        kind: "samples",
        company_id: "c1",
        key: `k:key-1:batch-1:${chunk}`,
        installation_id: null,
        samples: [],
        usage: [],
      });
    let size = envelope(0);
    let count = 0;
    for (const sample of samples) {
      const item = bytes(sample) + 1;
      if (size + item > QUEUE_MESSAGE_MAX_BYTES) {
        counts.push(count);
        size = envelope(counts.length);
        count = 0;
      }
      size += item;
      count += 1;
    }
    counts.push(count);
    expect(counts.length).toBeGreaterThan(2);
    expect(sized.map(({ message }) => (message.kind === "samples" ? message.samples.length : 0))).toEqual(
      counts,
    );
  });
});
