import type { WebhookEndpoint } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { createEndpoint, endpointsPath } from "./fixtures.ts";

describe("listing webhook endpoints", () => {
  it("shows the company's own endpoints oldest first, and only to those who may read webhooks", async () => {
    const company = await registerCompany({ admin_email: "owner@list-hooks.example" });
    const other = await registerCompany();
    const first = await createEndpoint(company.company_id, { url: "https://hooks.example.com/first" });
    const second = await createEndpoint(company.company_id, { url: "https://hooks.example.com/second" });
    await createEndpoint(other.company_id, { url: "https://hooks.example.com/not-mine" });

    const listed = await json<{ endpoints: WebhookEndpoint[] }>(
      await callAsOperator(endpointsPath(company.company_id)),
    );
    expect(listed.endpoints.map((endpoint) => endpoint.id)).toEqual([first.endpoint.id, second.endpoint.id]);
    expect(JSON.stringify(listed)).not.toContain("encrypted");

    const owner = await companyOwner(company.company_id, "owner@list-hooks.example");
    const member = await companyMember(owner, company.company_id, "member@list-hooks.example", "member");
    expect((await call(endpointsPath(company.company_id), { headers: { cookie: owner } })).status).toBe(200);
    await expectError(
      await call(endpointsPath(company.company_id), { headers: { cookie: member } }),
      403,
      "FORBIDDEN",
    );
    await expectError(await call(endpointsPath(company.company_id)), 401, "UNAUTHORIZED");
  });
});
