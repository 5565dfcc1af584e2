// Queries over the roll-ups. The roll-ups are made by the real consumer (workers/consumers) from the
// messages the API's own ingest code builds, delivered with the consumer's queue test helper.
import { describe, expect, it } from "vitest";
import { deliver } from "../../../../consumers/test/tenants.ts";
import {
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { checkBatch, queueMessages } from "../../services/telemetry-ingest.ts";

describe("app adoption", () => {
  it("report app version adoption from installations and usage events", async () => {
    const company = await registerCompany();
    const { installation } = await validatedMachine(company.company_code, "pc-1");
    const ts = Date.now() - 1000;
    const usage = [
      { event: "app.started", app_version: "1.5.0", ts },
      { event: "app.started", app_version: "1.5.0", ts: ts + 1 },
      { event: "feature.used", name: "quality_report", app_version: "1.5.0", ts },
    ];
    const sender = {
      company_id: company.company_id,
      installation_id: installation?.id ?? null,
      keyPrefix: `test:${crypto.randomUUID()}`,
    };
    await deliver(
      queueMessages(
        sender,
        checkBatch([], usage, () => true),
      ),
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
