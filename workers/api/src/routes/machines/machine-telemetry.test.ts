// Queries over the roll-ups. The roll-ups are made by the real consumer (workers/consumers) from the
// messages the API's own ingest code builds, delivered with the consumer's queue test helper.
import type { Machine } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { deliver } from "../../../../consumers/test/tenants.ts";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { checkBatch, queueMessages } from "../../services/telemetry-ingest.ts";

const HOUR = 3_600_000;

async function roll(
  companyId: string,
  samples: { machine_id: string; metric: string; value: number; ts: number }[],
) {
  const sender = { company_id: companyId, installation_id: null, keyPrefix: `test:${crypto.randomUUID()}` };
  await deliver(
    queueMessages(
      sender,
      checkBatch(samples, [], () => true),
    ),
  );
}

describe("a machine's telemetry", () => {
  it("chart a metric at minute, hour and day resolution over a range", async () => {
    const company = await registerCompany();
    const created = await callAsOperator(`/api/admin/companies/${company.company_id}/machines`, {
      body: { name: "Lathe" },
    });
    const lathe = (await json<{ machine: Machine }>(created)).machine;
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
});
