import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner, PASSWORD, signIn } from "../../../test/users.ts";

describe("creating operators", () => {
  it("creates an operator who can sign in, audited, and refuses a taken email", async () => {
    const created = await callAsOperator("/api/admin/operators", {
      body: { email: "New.Op@Ops.example", name: "New Op", password: PASSWORD },
    });
    expect(created.status).toBe(201);
    const { operator } = await json<{ operator: { id: string; email: string } }>(created);
    expect(operator.email).toBe("new.op@ops.example");
    const cookie = await signIn("new.op@ops.example");
    expect((await call("/api/admin/tenant-pool", { headers: { cookie } })).status).toBe(200);
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT target_id FROM audit_logs WHERE action = 'operator.created'",
    ).all<{ target_id: string }>();
    expect(audit.results.map((row) => row.target_id)).toEqual([operator.id]);
    await expectError(
      await callAsOperator("/api/admin/operators", {
        body: { email: "new.op@ops.example", name: "Again", password: PASSWORD },
      }),
      409,
      "USER_EXISTS",
    );
  });

  it("cannot be used by a company's owner to make themselves an operator", async () => {
    const company = await registerCompany({ admin_email: "owner@ops-create.example" });
    const owner = await companyOwner(company.company_id, "owner@ops-create.example");
    await expectError(
      await call("/api/admin/operators", {
        headers: { cookie: owner },
        body: { email: "sneaky@ops-create.example", name: "Sneaky", password: PASSWORD },
      }),
      403,
      "FORBIDDEN",
    );
    const admins = await env.CENTRAL_DB.prepare("SELECT count(*) AS n FROM user WHERE role = 'admin'").first<{
      n: number;
    }>();
    expect(admins?.n).toBe(0);
  });
});
