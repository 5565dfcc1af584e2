import { describe, expect, it } from "vitest";
import {
  adminToken,
  call,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";

interface AuditEntry {
  id: string;
  action: string;
  ip_address: string | null;
  user_agent: string | null;
  request_id: string | null;
}

describe("operator: audit log", () => {
  it("records actor, action, target, IP and user agent, and pages with a cursor", async () => {
    const company = await registerCompany();
    for (const machine of ["m1", "m2", "m3"]) await validatedMachine(company.company_code, machine);
    await call(`/api/admin/companies/${company.company_id}/suspend`, {
      token: adminToken(),
      body: {},
      headers: {
        "cf-connecting-ip": "203.0.113.9",
        "user-agent": "ops-console/1.0",
        "x-request-id": "req-audit-0001",
      },
    });
    const first = await json<{ entries: AuditEntry[]; next_cursor: string }>(
      await call(`/api/admin/companies/${company.company_id}/audit-log?limit=2`, { token: adminToken() }),
    );
    expect(first.entries[0]).toMatchObject({
      action: "company.suspended",
      ip_address: "203.0.113.9",
      user_agent: "ops-console/1.0",
      request_id: "req-audit-0001",
    });
    const rest = await json<{ entries: AuditEntry[]; next_cursor: string | null }>(
      await call(`/api/admin/companies/${company.company_id}/audit-log?cursor=${first.next_cursor}`, {
        token: adminToken(),
      }),
    );
    expect([...first.entries, ...rest.entries].map((e) => e.action)).toEqual([
      "company.suspended",
      "installation.activated",
      "installation.activated",
      "installation.activated",
      "company.registered",
    ]);
    expect(rest.next_cursor).toBeNull();
  });

  it("filters by actor, action and time", async () => {
    const company = await registerCompany();
    await validatedMachine(company.company_code, "m1");
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await call(`/api/admin/companies/${company.company_id}/suspend`, { token: adminToken(), body: {} });
    const query = async (q: string) =>
      (
        await json<{ entries: AuditEntry[] }>(
          await call(`/api/admin/companies/${company.company_id}/audit-log?${q}`, { token: adminToken() }),
        )
      ).entries.map((e) => e.action);
    expect(await query("actor_type=operator")).toEqual(["company.suspended", "company.registered"]);
    expect(await query("actor_type=installation")).toEqual(["installation.activated"]);
    expect(await query("actor_id=admin-secret&action=company.suspended")).toEqual(["company.suspended"]);
    expect(await query(`from=${encodeURIComponent(before)}`)).toEqual(["company.suspended"]);
    expect(await query(`to=${encodeURIComponent(before)}`)).toEqual([
      "installation.activated",
      "company.registered",
    ]);
    const bad = await call(`/api/admin/companies/${company.company_id}/audit-log?from=yesterday`, {
      token: adminToken(),
    });
    expect(bad.status).toBe(400);
  });

  it("shows one company's entries only", async () => {
    const a = await registerCompany();
    const b = await registerCompany();
    await validatedMachine(b.company_code, "b-machine");
    const entries = await json<{ entries: { company_id: string }[] }>(
      await call(`/api/admin/companies/${a.company_id}/audit-log`, { token: adminToken() }),
    );
    expect(entries.entries.every((e) => e.company_id === a.company_id)).toBe(true);
    expect(entries.entries).toHaveLength(1);
  });

  it("is not readable by another company's owner", async () => {
    const victim = await registerCompany();
    const other = await registerCompany({ admin_email: "owner@audit-other.example" });
    const owner = await companyOwner(other.company_id, "owner@audit-other.example");
    await expectError(
      await call(`/api/admin/companies/${victim.company_id}/audit-log`, { headers: { cookie: owner } }),
      404,
      "COMPANY_NOT_FOUND",
    );
    const own = await call(`/api/admin/companies/${other.company_id}/audit-log`, {
      headers: { cookie: owner },
    });
    expect(own.status).toBe(200);
  });
});
