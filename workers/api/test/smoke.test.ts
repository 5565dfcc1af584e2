import { expect, it } from "vitest";
import { call, json, registerCompany, validatedMachine } from "./helpers.ts";

it("smoke", async () => {
  const company = await registerCompany();
  console.log(company);
  const v = await validatedMachine(company.company_code, "m1");
  console.log(v);
  const hb = await call("/api/company/heartbeat", {
    token: v.installation.token,
    body: { company_code: company.company_code, machine_id: "m1", app_version: "1.0.0" },
  });
  console.log(hb.status, await json(hb));
  expect(hb.status).toBe(200);
});
