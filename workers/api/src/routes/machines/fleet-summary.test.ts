// Queries over the roll-ups. The roll-ups are made by the real consumer (workers/consumers) from the
// messages the API's own ingest code builds, delivered with the consumer's queue test helper.
import type { Machine } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { deliver } from "../../../../consumers/test/tenants.ts";
import { callAsOperator, json, registerCompany } from "../../../test/helpers.ts";
import { checkBatch, queueMessages } from "../../services/telemetry-ingest.ts";

async function machine(companyId: string, body: Record<string, unknown>): Promise<Machine> {
  const response = await callAsOperator(`/api/admin/companies/${companyId}/machines`, { body });
  return (await json<{ machine: Machine }>(response)).machine;
}

describe("the fleet summary", () => {
  it("summarise the fleet worst health first and follow threshold changes", async () => {
    const company = await registerCompany();
    const limits = { temperature: { warn_above: 80, critical_above: 95 } };
    const cool = await machine(company.company_id, { name: "Cool", thresholds: limits });
    const hot = await machine(company.company_id, { name: "Hot", thresholds: limits, status: "fault" });
    const silent = await machine(company.company_id, { name: "Silent", status: "idle" });
    const ts = Date.now() - 60_000;
    const samples = [
      { machine_id: cool.id, metric: "temperature", value: 60, ts },
      { machine_id: hot.id, metric: "temperature", value: 99, ts },
    ];
    const sender = {
      company_id: company.company_id,
      installation_id: null,
      keyPrefix: `test:${crypto.randomUUID()}`,
    };
    await deliver(
      queueMessages(
        sender,
        checkBatch(samples, [], () => true),
      ),
    );
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
});
