// The events the API writes to the outbox with the change they report. Deliveries themselves are
// tested in workers/consumers (the worker that makes them).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callAsOperator, registerCompany, validatedMachine } from "../../test/helpers.ts";
import { publishRelease } from "../../test/releases.ts";

const outbox = (companyId: string | null) =>
  env.CENTRAL_DB.prepare("SELECT type, data, channels FROM webhook_events WHERE company_id IS ? ORDER BY id")
    .bind(companyId)
    .all<{ type: string; data: string; channels: string | null }>()
    .then((result) =>
      result.results.map((row) => ({ ...row, data: JSON.parse(row.data) as Record<string, unknown> })),
    );

describe("events written with the change they report", () => {
  it("installation activated and deactivated, settings changed", async () => {
    const company = await registerCompany();
    const { installation } = await validatedMachine(company.company_code, "evt-machine");
    // Validating again keeps the seat: no second activation event.
    await validatedMachine(company.company_code, "evt-machine");
    await callAsOperator(`/api/admin/companies/${company.company_id}/settings`, {
      method: "PUT",
      body: { settings: { theme: "dark" } },
    });
    await callAsOperator(
      `/api/admin/companies/${company.company_id}/installations/${installation.id}/deactivate`,
      {
        method: "POST",
      },
    );
    const events = await outbox(company.company_id);
    expect(events.map((event) => event.type)).toEqual([
      "installation.activated",
      "company.settings_changed",
      "installation.deactivated",
    ]);
    expect(events[0]?.data).toMatchObject({ installation_id: installation.id, machine_id: "evt-machine" });
    expect(events[1]?.data).toEqual({ settings_version: 2, changed_keys: ["theme"] });
    expect(events[2]?.data).toMatchObject({ installation_id: installation.id, reason: "admin" });
  });

  it("release published and rollout halted go to the channel's receivers", async () => {
    const release = await publishRelease("3.1.0", { channel: "beta", rollout: { percent: 20 } });
    const halt = await callAsOperator(`/api/admin/releases/${release.id}/rollout`, {
      body: { action: "halt" },
    });
    expect(halt.status).toBe(200);
    // Halting again changes nothing and reports nothing.
    await callAsOperator(`/api/admin/releases/${release.id}/rollout`, { body: { action: "halt" } });
    const events = await outbox(null);
    expect(events.map((event) => [event.type, JSON.parse(event.channels ?? "[]")])).toEqual([
      ["release.published", ["beta", "alpha"]],
      ["rollout.halted", ["beta", "alpha"]],
    ]);
    expect(events[0]?.data).toMatchObject({ version: "3.1.0", channel: "beta", rollout_percent: 20 });
  });
});
