import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, json, registerCompany, validatedMachine } from "../../../test/helpers.ts";
import { companyMember, companyOwner, operatorSession } from "../../../test/users.ts";

interface LabelledEntry {
  id: string;
  action: string;
  actor_type: string;
  actor_id: string | null;
  actor_label?: string;
  target_type: string | null;
  target_id: string | null;
  target_label?: string;
}

const auditOf = async (companyId: string) =>
  (
    await json<{ entries: LabelledEntry[] }>(
      await callAsOperator(`/api/admin/companies/${companyId}/audit-log?limit=200`),
    )
  ).entries;

async function createKey(companyId: string, name: string) {
  const response = await callAsOperator(`/api/admin/companies/${companyId}/api-keys`, {
    body: { name, permissions: { machines: ["manage"] } },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return json<{ key: string; api_key: { id: string } }>(response);
}

async function membersOf(companyId: string) {
  return (
    await json<{ members: { id: string; user_id: string; email: string }[] }>(
      await callAsOperator(`/api/admin/companies/${companyId}/members`),
    )
  ).members;
}

describe("operator: audit log names", () => {
  it("names actors and targets of each kind, keeping the raw ids", async () => {
    const company = await registerCompany({
      company_name: "Labelled Ltd",
      admin_email: "owner@labels-a.example",
    });
    const base = `/api/admin/companies/${company.company_id}`;
    const owner = await companyOwner(company.company_id, "owner@labels-a.example");
    const joined = await validatedMachine(company.company_code, "lab-1");
    const ci = await createKey(company.company_id, "ci");
    const made = await call(`${base}/machines`, { token: ci.key, body: { name: "Press 7" } });
    expect(made.status, await made.clone().text()).toBe(201);
    const machine = (await json<{ machine: { id: string } }>(made)).machine;
    const ownerChange = await call(`${base}/settings`, {
      method: "PUT",
      headers: { cookie: owner },
      body: { settings: { shift: "late" } },
    });
    expect(ownerChange.status, await ownerChange.clone().text()).toBe(200);
    const operator = await operatorSession("ops@labels.example");
    const operatorChange = await call(`${base}/settings`, {
      method: "PUT",
      headers: { cookie: operator },
      body: { settings: { shift: "night" } },
    });
    expect(operatorChange.status, await operatorChange.clone().text()).toBe(200);
    await companyMember(owner, company.company_id, "member@labels-a.example");
    const joinedMember = (await membersOf(company.company_id)).find(
      (entry) => entry.email === "member@labels-a.example",
    );
    const roleChange = await call(`${base}/members/${joinedMember?.id}`, {
      method: "PATCH",
      headers: { cookie: owner },
      body: { role: "admin" },
    });
    expect(roleChange.status, await roleChange.clone().text()).toBe(200);

    const entries = await auditOf(company.company_id);
    const only = (action: string, actorType?: string) => {
      const found = entries.filter(
        (entry) => entry.action === action && (!actorType || entry.actor_type === actorType),
      );
      expect(found, `${action} by ${actorType ?? "anyone"}`).toHaveLength(1);
      return found[0];
    };
    const installationId = joined.installation.id;
    expect(only("installation.activated")).toMatchObject({
      actor_id: installationId,
      actor_label: "host-lab-1",
      target_id: installationId,
      target_label: "host-lab-1",
    });
    expect(only("api_key.created")).toMatchObject({
      actor_id: "admin-secret",
      actor_label: "Platform operator",
      target_id: ci.api_key.id,
      target_label: "ci",
    });
    expect(only("machine.created")).toMatchObject({
      actor_id: ci.api_key.id,
      actor_label: "API key 'ci'",
      target_id: machine.id,
      target_label: "Press 7",
    });
    expect(only("company.settings_changed", "user")).toMatchObject({
      actor_label: "owner (owner@labels-a.example)",
      target_id: company.company_id,
      target_label: "Labelled Ltd",
    });
    expect(only("company.settings_changed", "operator")).toMatchObject({
      actor_label: "Operator ops@labels.example",
    });
    expect(only("member.role_changed")).toMatchObject({
      target_id: joinedMember?.id,
      target_label: "member (member@labels-a.example)",
    });
  });

  it("records what a settings change changed, before and after", async () => {
    const company = await registerCompany();
    const base = `/api/admin/companies/${company.company_id}`;
    for (const settings of [{ shift: "early", line: 2 }, { shift: "late" }]) {
      await callAsOperator(`${base}/settings`, { method: "PUT", body: { settings } });
    }
    const [latest] = await json<{ entries: { details: Record<string, unknown> }[] }>(
      await callAsOperator(`${base}/audit-log?action=company.settings_changed&limit=1`),
    ).then((page) => page.entries);
    expect(latest?.details).toMatchObject({
      keys: ["shift"],
      before: { shift: "early" },
      after: { shift: "late" },
    });
  });

  it("never names another company's rows, even when an entry holds their ids", async () => {
    const mine = await registerCompany();
    const other = await registerCompany({ company_name: "Other Ltd", admin_email: "owner@labels-b.example" });
    await companyOwner(other.company_id, "owner@labels-b.example");
    const theirInstallation = (await validatedMachine(other.company_code, "b-lab")).installation.id;
    const theirKey = await createKey(other.company_id, "their key");
    const theirMachine = await json<{ machine: { id: string } }>(
      await callAsOperator(`/api/admin/companies/${other.company_id}/machines`, {
        body: { name: "Their press" },
      }),
    );
    const [theirMember] = await membersOf(other.company_id);
    if (!theirMember) throw new Error("the other company has no member");
    // Rows no route writes: ids of the other company's rows in this company's log.
    const forged: [string, string, string, string][] = [
      ["api_key", theirKey.api_key.id, "installation", theirInstallation],
      ["user", theirMember.user_id, "member", theirMember.id],
      ["installation", theirInstallation, "company", other.company_id],
      ["api_key", theirKey.api_key.id, "api_key", theirKey.api_key.id],
      ["api_key", theirKey.api_key.id, "machine", theirMachine.machine.id],
    ];
    const ids = forged.map(() => crypto.randomUUID());
    await env.CENTRAL_DB.batch(
      forged.map(([actorType, actorId, targetType, targetId], index) =>
        env.CENTRAL_DB.prepare(
          "INSERT INTO audit_logs (id, company_id, actor_type, actor_id, action, target_type, target_id) VALUES (?, ?, ?, ?, 'forged.entry', ?, ?)",
        ).bind(ids[index], mine.company_id, actorType, actorId, targetType, targetId),
      ),
    );
    const entries = (await auditOf(mine.company_id)).filter((entry) => entry.action === "forged.entry");
    expect(entries).toHaveLength(forged.length);
    for (const entry of entries) {
      expect(entry.actor_label).toBeUndefined();
      expect(entry.target_label).toBeUndefined();
      expect(entry.actor_id).not.toBeNull();
      expect(entry.target_id).not.toBeNull();
    }
  });
});
