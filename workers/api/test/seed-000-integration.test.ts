// The "Integration with Nexus App" snippets of seed 000 (the shipped desktop app's setup wizard),
// kept as written there with only the base URL changed. Locally REGISTRATION_MODE=open, as in
// `pnpm dev`, which is what lets the wizard's anonymous register call through.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import worker from "../src/index.ts";

const BASE = "http://127.0.0.1:8787";
const formData = {
  companyName: "Seed Wizard GmbH",
  adminEmail: "admin@seed-wizard.example",
  companyCode: "",
};
const getMachineId = () => "cpu-1234-mac-aa:bb:cc";
const os = { hostname: () => "DESKTOP-SEED01" };

// The app's global fetch, pointed at the worker instead of the network.
async function fetch(url: string, init: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(url, init), { ...env, REGISTRATION_MODE: "open" }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

it("runs the setup wizard's register and join calls unchanged", async () => {
  // New company setup
  {
    const response = await fetch(`${BASE}/api/company/register`, {
      method: "POST",
      body: JSON.stringify({
        company_name: formData.companyName,
        admin_email: formData.adminEmail,
      }),
    });

    const { company_code, database_config } = await response.json<{
      company_code: string;
      database_config: unknown;
    }>();
    // Display company code to admin
    // Save encrypted database_config locally
    expect(response.status).toBe(201);
    expect(company_code).toMatch(/^SEE-/);
    expect(database_config).toMatchObject({ provider: "d1" });
    formData.companyCode = company_code;
  }

  // Join existing company
  {
    const response = await fetch(`${BASE}/api/company/validate`, {
      method: "POST",
      body: JSON.stringify({
        company_code: formData.companyCode,
        machine_id: getMachineId(),
        hostname: os.hostname(),
      }),
    });
    const body = await response.json<Record<string, unknown>>();
    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      success: true,
      company_name: formData.companyName,
      settings: {},
      update_channel: "stable",
      database_config: { provider: "d1" },
    });
  }
});
