// Queries over the roll-ups. The roll-ups are made by the real consumer (workers/consumers) from the
// messages the API's own ingest code builds, delivered with the queue test helpers.
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Machine } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import telemetryWorker from "../../../../consumers/src/index.ts";
import {
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { checkBatch, queueMessages } from "../../services/telemetry-ingest.ts";

const HOUR = 3_600_000;

async function roll(
  companyId: string,
  samples: { machine_id: string; metric: string; value: number; ts: number }[],
  usage: unknown[] = [],
  installationId: string | null = null,
) {
  const messages = queueMessages(
    { company_id: companyId, installation_id: installationId, keyPrefix: `test:${crypto.randomUUID()}` },
    checkBatch(samples, usage, () => true),
  );
  const batch = createMessageBatch(
    "nexus-telemetry",
    messages.map((body, i) => ({
      id: `m${i}-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 1,
      body,
    })),
  );
  await telemetryWorker.queue(batch, env as never);
}

async function machine(companyId: string, body: Record<string, unknown>): Promise<Machine> {
  const response = await callAsOperator(`/api/admin/companies/${companyId}/machines`, { body });
  return (await json<{ machine: Machine }>(response)).machine;
}

describe("telemetry queries", () => {
  it("chart a metric at minute, hour and day resolution over a range", async () => {
    const company = await registerCompany();
    const lathe = await machine(company.company_id, { name: "Lathe" });
    const start = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
    // One sample a minute for three hours, value = minute index.
    await roll(
      company.company_id,
      Array.from({ length: 180 }, (_, i) => ({
        machine_id: lathe.id,
        metric: "temperature",
        value: i,
        ts: start + i * 60_000,
      })),
    );
    const base = `/api/admin/companies/${company.company_id}/machines/${lathe.id}/telemetry`;
    const range = `from=${new Date(start).toISOString()}&to=${new Date(start + 3 * HOUR).toISOString()}`;

    const minutes = await json<{ points: { count: number; avg: number }[] }>(
      await callAsOperator(`${base}?metric=temperature&${range}`),
    );
    expect(minutes.points).toHaveLength(180);
    expect(minutes.points[10]).toMatchObject({ count: 1, avg: 10 });

    const hours = await json<{
      points: { ts: string; count: number; min: number; max: number; avg: number }[];
    }>(await callAsOperator(`${base}?metric=temperature&resolution=hour&${range}`));
    expect(hours.points.map((p) => [p.count, p.min, p.max, p.avg])).toEqual([
      [60, 0, 59, 29.5],
      [60, 60, 119, 89.5],
      [60, 120, 179, 149.5],
    ]);
    expect(hours.points[0]?.ts).toBe(new Date(start).toISOString());

    const days = await json<{ points: { count: number }[] }>(
      await callAsOperator(
        `${base}?metric=temperature&resolution=day&from=${new Date(start - 2 * 86_400_000).toISOString()}`,
      ),
    );
    expect(days.points.reduce((sum, p) => sum + p.count, 0)).toBe(180);

    const empty = await json<{ points: unknown[] }>(await callAsOperator(`${base}?metric=rpm&${range}`));
    expect(empty.points).toEqual([]);
    await expectError(
      await callAsOperator(`${base}?metric=temperature&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z`),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await callAsOperator(
        `${base}?metric=temperature&from=${new Date(start).toISOString()}&to=${new Date(start - 1).toISOString()}`,
      ),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(await callAsOperator(`${base}?metric=DROP%20TABLE`), 400, "VALIDATION_FAILED");
    await expectError(await callAsOperator(`${base}?metric=rpm&resolution=week`), 400, "VALIDATION_FAILED");
  });

  it("summarise the fleet worst health first and follow threshold changes", async () => {
    const company = await registerCompany();
    const limits = { temperature: { warn_above: 80, critical_above: 95 } };
    const cool = await machine(company.company_id, { name: "Cool", thresholds: limits });
    const hot = await machine(company.company_id, { name: "Hot", thresholds: limits, status: "fault" });
    const silent = await machine(company.company_id, { name: "Silent", status: "idle" });
    const ts = Date.now() - 60_000;
    await roll(company.company_id, [
      { machine_id: cool.id, metric: "temperature", value: 60, ts },
      { machine_id: hot.id, metric: "temperature", value: 99, ts },
    ]);
    const fleet = await json<{
      total: number;
      by_status: Record<string, number>;
      average_health: number;
      machines: Machine[];
    }>(await callAsOperator(`/api/admin/companies/${company.company_id}/fleet`));
    expect(fleet.machines.map((m) => [m.name, m.health_score])).toEqual([
      ["Hot", 50],
      ["Cool", 100],
      ["Silent", null],
    ]);
    expect(fleet).toMatchObject({
      total: 3,
      average_health: 75,
      by_status: { running: 1, fault: 1, idle: 1, maintenance: 0 },
    });
    expect(fleet.machines[0]?.last_values.temperature?.value).toBe(99);
    expect(silent.health_score).toBeNull();

    // Raising the limits rescores from the stored last value at once.
    const relaxed = await callAsOperator(`/api/admin/companies/${company.company_id}/machines/${hot.id}`, {
      method: "PATCH",
      body: { thresholds: { temperature: { warn_above: 120 } } },
    });
    expect((await json<{ machine: Machine }>(relaxed)).machine.health_score).toBe(100);
  });

  it("report app version adoption from installations and usage events", async () => {
    const company = await registerCompany();
    const { installation } = await validatedMachine(company.company_code, "pc-1");
    const ts = Date.now() - 1000;
    await roll(
      company.company_id,
      [],
      [
        { event: "app.started", app_version: "1.5.0", ts },
        { event: "app.started", app_version: "1.5.0", ts: ts + 1 },
        { event: "feature.used", name: "quality_report", app_version: "1.5.0", ts },
      ],
      installation?.id ?? null,
    );
    const adoption = await json<{
      current: { app_version: string | null; installations: number }[];
      daily: { day: string; versions: Record<string, number> }[];
      events: { event: string; name: string | null; count: number }[];
    }>(await callAsOperator(`/api/admin/companies/${company.company_id}/adoption?days=7`));
    expect(adoption.current.reduce((sum, row) => sum + row.installations, 0)).toBe(1);
    expect(adoption.daily).toEqual([
      { day: new Date(ts).toISOString().slice(0, 10), versions: { "1.5.0": 1 } },
    ]);
    expect(adoption.events.map((e) => [e.event, e.name, e.count])).toEqual([
      ["app.started", null, 2],
      ["feature.used", "quality_report", 1],
    ]);
    await expectError(
      await callAsOperator(`/api/admin/companies/${company.company_id}/adoption?days=0`),
      400,
      "VALIDATION_FAILED",
    );
  });
});
