// The whole telemetry path on the bundled workers: HTTP ingest on the API -> the real local
// `nexus-telemetry` queue -> workers/consumers -> roll-ups in the company's tenant database, read back
// through the API. A resent batch (a client that lost the response) is counted once.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalSystem, startLocalSystem } from "./local-system.ts";

let system: LocalSystem;

beforeAll(async () => {
  // A short flush interval, so the CompanyHub reports heartbeats' versions within the test.
  system = await startLocalSystem({ vars: { HEARTBEAT_FLUSH_SECONDS: "1" } });
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

async function api(path: string, init: { token: string; body?: unknown }): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(path, system.url), {
    method: init.body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${init.token}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} -> ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

it("rolls up every ingested sample exactly once, resent batches included", { timeout: 180_000 }, async () => {
  const company = await system.registerCompany();
  const admin = system.adminSecret;
  const { machine } = (await api(`/api/admin/companies/${company.company_id}/machines`, {
    token: admin,
    body: { name: "Press", thresholds: { temperature: { warn_above: 80, critical_above: 95 } } },
  })) as { machine: { id: string } };
  const joined = await system.validateMachine({
    company_code: company.company_code,
    machine_id: "e2e-pc",
    hostname: "E2E",
  });
  const token = joined.installation?.token as string;

  const start = Date.now() - 30 * 60_000;
  const batches = Array.from({ length: 5 }, (_, b) => ({
    batch_id: randomUUID(),
    samples: Array.from({ length: 400 }, (_, i) => ({
      machine_id: machine.id,
      metric: "temperature",
      value: 50 + ((b * 400 + i) % 40),
      ts: start + (b * 400 + i) * 1000,
    })),
  }));
  for (const batch of batches) await api("/api/telemetry", { token, body: batch });
  // The first batch again, as a client does when a response was lost.
  const resent = await api("/api/telemetry", { token, body: batches[0] });
  expect(resent.accepted).toEqual({ samples: 400, usage: 0 });

  const series = `/api/admin/companies/${company.company_id}/machines/${machine.id}/telemetry?metric=temperature&resolution=hour&from=${new Date(start - 3_600_000).toISOString()}`;
  // Generous: on a loaded 2-core CI machine the queue and the consumer can lag far behind.
  const deadline = Date.now() + 120_000;
  let counted = 0;
  while (Date.now() < deadline) {
    const { points } = (await api(series, { token: admin })) as { points: { count: number }[] };
    counted = points.reduce((sum, point) => sum + point.count, 0);
    if (counted >= 2000) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(counted).toBe(2000);
  // Settled: a late duplicate would have shown up by now if it were going to be counted.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const { points } = (await api(series, { token: admin })) as { points: { count: number; max: number }[] };
  expect(points.reduce((sum, point) => sum + point.count, 0)).toBe(2000);
  expect(Math.max(...points.map((point) => point.max))).toBe(89);
  const { machine: scored } = (await api(
    `/api/admin/companies/${company.company_id}/machines/${machine.id}`,
    {
      token: admin,
    },
  )) as { machine: { health_score: number | null } };
  expect(scored.health_score).not.toBeNull();
});

it("counts installations per app version per day from heartbeats, through the hub and the queue", {
  timeout: 60_000,
}, async () => {
  const company = await system.registerCompany();
  for (const [machineId, version] of [
    ["pc-a", "1.4.2"],
    ["pc-b", "1.5.0"],
    ["pc-c", "1.5.0"],
  ] as const) {
    const joined = await system.validateMachine({
      company_code: company.company_code,
      machine_id: machineId,
      hostname: machineId,
    });
    await api("/api/company/heartbeat", {
      token: joined.installation?.token as string,
      body: { company_code: company.company_code, machine_id: machineId, app_version: version },
    });
  }
  const today = new Date().toISOString().slice(0, 10);
  const deadline = Date.now() + 30_000;
  let daily: { day: string; versions: Record<string, number> }[] = [];
  while (Date.now() < deadline) {
    ({ daily } = (await api(`/api/admin/companies/${company.company_id}/adoption?days=1`, {
      token: system.adminSecret,
    })) as { daily: typeof daily });
    if (daily.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(daily).toEqual([{ day: today, versions: { "1.4.2": 1, "1.5.0": 2 } }]);
});
