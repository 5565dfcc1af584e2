// The statement shapes of a roll-up batch: every idempotency key of a delivery in one json_each
// insert, roll-ups cut into statements of ROWS_PER_STATEMENT rows, and the hand check of messages.
import { TelemetryQueueMessageSchema } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { checkTelemetryMessage } from "../src/telemetry/message.ts";
import { company, deliver, rollups, samplesMessage, totalCount } from "./tenants.ts";

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);

const batchKeys = async (db: D1Database) =>
  (await db.prepare("SELECT key, samples, dropped FROM telemetry_batches ORDER BY key").all()).results;

describe("a roll-up batch", () => {
  it("applies 150 messages (more keys than D1 has bound parameters) once each, skipping duplicates and redeliveries", async () => {
    const acme = await company("TENANT_DB_0001");
    const [m1, m2] = acme.machines as [string, string];
    const message = (i: number) =>
      samplesMessage(acme.id, `i:a:b-${String(i).padStart(3, "0")}:0`, [
        { machine_id: i % 2 ? m1 : m2, metric: "temperature", value: i, ts: T0 + i * 1000 },
        // A machine the company does not have: dropped and counted as such.
        { machine_id: "gone", metric: "temperature", value: 1, ts: T0 + i * 1000 },
      ]);
    const first = Array.from({ length: 150 }, (_, i) => message(i));
    const { ids, result } = await deliver([...first, first[7], first[149]]);
    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    expect(totalCount(await rollups(acme.db, "minute"))).toBe(150);
    const keys = await batchKeys(acme.db);
    expect(keys).toHaveLength(150);
    expect(keys.every((row) => row.samples === 1 && row.dropped === 1)).toBe(true);

    // Redelivered with 50 new ones: only the new ones count.
    const second = Array.from({ length: 50 }, (_, i) => message(150 + i));
    await deliver([...first.slice(100), ...second]);
    expect(totalCount(await rollups(acme.db, "minute"))).toBe(200);
    expect(totalCount(await rollups(acme.db, "day"))).toBe(200);
    expect(await batchKeys(acme.db)).toHaveLength(200);
    const sum = await acme.db.prepare("SELECT sum(sum) AS s FROM telemetry_hour").first<{ s: number }>();
    expect(sum?.s).toBe((199 * 200) / 2);
  });

  it("counts overlapping deliveries handled at the same time once (the second batch fails on a key and is split)", async () => {
    const acme = await company("TENANT_DB_0001");
    const machine = acme.machines[0] as string;
    const one = (key: string, value: number) =>
      samplesMessage(acme.id, key, [{ machine_id: machine, metric: "rpm", value, ts: T0 + value }]);
    const [a, b, c, d] = [one("k:a", 1), one("k:b", 10), one("k:c", 100), one("k:d", 1000)];
    const results = await Promise.all([deliver([a, b, c]), deliver([b, c, d]), deliver([a, d])]);
    for (const { ids, result } of results) {
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    }
    const [row] = await rollups(acme.db, "minute");
    expect(row).toMatchObject({ count: 4, sum: 1111, min: 1, max: 1000 });
    expect(await batchKeys(acme.db)).toHaveLength(4);
  });

  it("cuts more than 2,000 roll-up rows into several statements and counts each sample once", async () => {
    const acme = await company("TENANT_DB_0001");
    const machine = acme.machines[0] as string;
    // One sample a minute for 2,500 minutes: 2,500 minute rows, 42 hour rows, 2 or 3 day rows.
    const samples = Array.from({ length: 2500 }, (_, i) => ({
      machine_id: machine,
      metric: "temperature",
      value: i % 50,
      ts: T0 + i * 60_000,
    }));
    await deliver([samplesMessage(acme.id, "k:long", samples)]);
    const minute = await rollups(acme.db, "minute");
    expect(minute).toHaveLength(2500);
    expect(minute.every((row) => row.count === 1)).toBe(true);
    for (const resolution of ["hour", "day"] as const) {
      expect(totalCount(await rollups(acme.db, resolution))).toBe(2500);
    }
    await deliver([samplesMessage(acme.id, "k:long", samples)]);
    expect(totalCount(await rollups(acme.db, "minute"))).toBe(2500);
  });
});

describe("the message check", () => {
  const sample = { machine_id: "m1", metric: "rpm", value: 1.5, ts: T0 };
  const message = (overrides: Record<string, unknown>) => ({
    kind: "samples",
    company_id: "c1",
    key: "k:1",
    installation_id: null,
    samples: [sample],
    usage: [],
    ...overrides,
  });
  const bodies: unknown[] = [
    message({}),
    message({ installation_id: "i1", extra: true }),
    message({ samples: [{ ...sample, note: "extra fields are ignored" }] }),
    message({ usage: [{ event: "app.started", name: null, app_version: "1.0.0", ts: T0 }] }),
    message({ usage: [{ event: "app.crashed", name: null, app_version: "1.0.0", ts: T0 }] }),
    message({ samples: [{ ...sample, ts: T0 + 0.5 }] }),
    message({ samples: [{ ...sample, ts: 2 ** 60 }] }),
    message({ samples: [{ ...sample, value: Number.POSITIVE_INFINITY }] }),
    message({ samples: [{ ...sample, value: Number.NaN }] }),
    message({ samples: [{ ...sample, value: "1" }] }),
    message({ samples: [{ ...sample, machine_id: 7 }] }),
    message({ samples: [null] }),
    message({ samples: [[1, 2]] }),
    message({ samples: "none" }),
    message({ key: 42 }),
    message({ installation_id: undefined }),
    message({ kind: "other" }),
    { kind: "versions", company_id: "c1", day: "2026-11-21", seen: [] },
    null,
    "text",
  ];

  it("takes the common samples message without the schema", () => {
    const body = message({});
    const checked = checkTelemetryMessage(body);
    // The schema would have copied the samples; the hand check passes them on as they came.
    expect(checked.success && checked.data.kind === "samples" && checked.data.samples).toBe(body.samples);
  });

  it("accepts exactly what the schema accepts, with the same data", () => {
    for (const body of bodies) {
      const checked = checkTelemetryMessage(body);
      const reference = TelemetryQueueMessageSchema.safeParse(body);
      expect(checked.success, JSON.stringify(body)).toBe(reference.success);
      if (checked.success && reference.success) {
        expect(TelemetryQueueMessageSchema.parse(checked.data)).toEqual(reference.data);
      }
    }
  });
});
