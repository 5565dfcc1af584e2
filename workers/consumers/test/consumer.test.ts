import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { company, deliver, rollups, samplesMessage, totalCount } from "./tenants.ts";

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const MINUTE = 60_000;

/** `n` temperature samples for a machine, one every 10 s from `start`, values 60, 61, … */
const series = (machineId: string, n: number, start = T0, metric = "temperature") =>
  Array.from({ length: n }, (_, i) => ({
    machine_id: machineId,
    metric,
    value: 60 + i,
    ts: start + i * 10_000,
  }));

describe("telemetry roll-ups", () => {
  it("count every sample once, in minute, hour and day roll-ups with exact sums, minima, maxima and last values", async () => {
    const acme = await company("TENANT_DB_0001");
    const [m1, m2] = acme.machines as [string, string];
    const first = series(m1, 30); // 5 minutes
    const second = [...series(m2, 12, T0 + 2 * MINUTE), ...series(m1, 6, T0 + 3 * MINUTE, "rpm")];
    const { ids, result } = await deliver([
      samplesMessage(acme.id, "i:a:batch-1:0", first),
      samplesMessage(acme.id, "i:a:batch-2:0", second),
    ]);
    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    expect(result.retryMessages).toEqual([]);

    const minute = await rollups(acme.db, "minute");
    expect(totalCount(minute)).toBe(first.length + second.length);
    const m1Temperature = minute.filter((row) => row.machine_id === m1 && row.metric === "temperature");
    expect(m1Temperature.map((row) => row.count)).toEqual([6, 6, 6, 6, 6]);
    expect(m1Temperature[0]).toMatchObject({
      bucket: T0,
      sum: 60 + 61 + 62 + 63 + 64 + 65,
      min: 60,
      max: 65,
      last: 65,
    });

    for (const resolution of ["hour", "day"] as const) {
      const rows = await rollups(acme.db, resolution);
      expect(totalCount(rows)).toBe(first.length + second.length);
      const hot = rows.find((row) => row.machine_id === m1 && row.metric === "temperature");
      expect(hot).toMatchObject({ count: 30, min: 60, max: 89, last: 89, sum: (60 + 89) * 15 });
    }

    const last = await acme.db
      .prepare("SELECT machine_id, metric, value FROM machine_metrics ORDER BY machine_id, metric")
      .all();
    expect(last.results).toEqual([
      { machine_id: m1, metric: "rpm", value: 65 },
      { machine_id: m1, metric: "temperature", value: 89 },
      { machine_id: m2, metric: "temperature", value: 71 },
    ]);
    // temperature 89 is past the warning (80) but not critical (95): 100 - 20.
    const health = await acme.db.prepare("SELECT id, health_score FROM machines ORDER BY id").all();
    expect(health.results).toEqual([
      { id: m1, health_score: 80 },
      { id: m2, health_score: 100 },
    ]);
  });

  it("change nothing when the same batch is delivered again, in a later batch or twice in one", async () => {
    const acme = await company("TENANT_DB_0001");
    const message = samplesMessage(acme.id, "i:a:batch-1:0", series(acme.machines[0] as string, 20));
    await deliver([message]);
    const before = await rollups(acme.db, "minute");

    const again = await deliver([message, message]);
    expect(again.result.explicitAcks.sort()).toEqual([...again.ids].sort());
    expect(await rollups(acme.db, "minute")).toEqual(before);
    expect(totalCount(await rollups(acme.db, "day"))).toBe(20);
    const keys = await acme.db.prepare("SELECT key, samples FROM telemetry_batches").all();
    expect(keys.results).toEqual([{ key: "i:a:batch-1:0", samples: 20 }]);
  });

  it("never let an older sample arriving late replace a newer last value", async () => {
    const acme = await company("TENANT_DB_0001");
    const machine = acme.machines[0] as string;
    await deliver([
      samplesMessage(acme.id, "k:new", [
        { machine_id: machine, metric: "temperature", value: 99, ts: T0 + 30_000 },
      ]),
    ]);
    await deliver([
      samplesMessage(acme.id, "k:old", [
        { machine_id: machine, metric: "temperature", value: 20, ts: T0 + 10_000 },
      ]),
    ]);
    const [row] = await rollups(acme.db, "minute");
    expect(row).toMatchObject({ count: 2, min: 20, max: 99, last: 99 });
    const last = await acme.db.prepare("SELECT value FROM machine_metrics").first();
    expect(last).toEqual({ value: 99 });
    expect(
      await acme.db.prepare("SELECT health_score FROM machines WHERE id = ?").bind(machine).first(),
    ).toEqual({
      health_score: 50,
    });
  });

  it("write each company's samples into its own database only", async () => {
    const acme = await company("TENANT_DB_0001");
    const globex = await company("TENANT_DB_0002");
    await deliver([
      samplesMessage(acme.id, "k:a", series(acme.machines[0] as string, 7)),
      samplesMessage(globex.id, "k:g", series(globex.machines[1] as string, 4)),
      // A message claiming Acme but naming Globex's machine: Acme's database has no such machine.
      samplesMessage(acme.id, "k:cross", series(globex.machines[0] as string, 5)),
    ]);
    const acmeRows = await rollups(acme.db, "minute");
    const globexRows = await rollups(globex.db, "minute");
    expect(new Set(acmeRows.map((row) => row.machine_id))).toEqual(new Set([acme.machines[0]]));
    expect(new Set(globexRows.map((row) => row.machine_id))).toEqual(new Set([globex.machines[1]]));
    expect(totalCount(acmeRows)).toBe(7);
    expect(totalCount(globexRows)).toBe(4);
    const cross = await acme.db
      .prepare("SELECT samples, dropped FROM telemetry_batches WHERE key = 'k:cross'")
      .first();
    expect(cross).toEqual({ samples: 0, dropped: 5 });
  });

  it("retry a malformed message and a company whose database is missing without holding back the others", async () => {
    const acme = await company("TENANT_DB_0001");
    const { ids, result } = await deliver([
      { kind: "samples", company_id: acme.id }, // malformed: no key, no samples
      samplesMessage("no-such-company", "k:lost", series("x", 3)),
      samplesMessage(acme.id, "k:good", series(acme.machines[0] as string, 9)),
    ]);
    expect(result.retryMessages.map((retry) => retry.msgId).sort()).toEqual([ids[0], ids[1]].sort());
    expect(result.explicitAcks).toEqual([ids[2]]);
    expect(totalCount(await rollups(acme.db, "minute"))).toBe(9);
  });

  it("keep dead letters in the central database, once each", async () => {
    const body = samplesMessage("no-such-company", "k:dead", series("x", 2));
    await deliver([body], "nexus-telemetry-dlq", 6, ["dead-1"]);
    const { result } = await deliver([body], "nexus-telemetry-dlq", 6, ["dead-1"]);
    expect(result.ackAll).toBe(true);
    const rows = await env.CENTRAL_DB.prepare(
      "SELECT queue, company_id, body, attempts FROM dead_letters",
    ).all();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]).toMatchObject({
      queue: "nexus-telemetry-dlq",
      company_id: "no-such-company",
      attempts: 6,
    });
    expect(JSON.parse(String(rows.results[0]?.body))).toEqual(body);
  });
});
