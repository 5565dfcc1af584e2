import { describe, expect, it } from "vitest";
import { readAuditDetails } from "./audit-changes.ts";

describe("what an audit entry changed", () => {
  it("lists only the fields whose before and after differ, added and removed ones too", () => {
    const view = readAuditDetails("company.settings_changed", {
      mode: "merge",
      before: { shift: "early", same: 1, gone: true },
      after: { shift: "late", same: 1, added: { a: 1 } },
    });
    expect(view.changed).toEqual([
      { field: "shift", before: "early", after: "late" },
      { field: "gone", before: "true", after: undefined },
      { field: "added", before: undefined, after: '{"a":1}' },
    ]);
    expect(view.newValues).toEqual([]);
    expect(view.facts).toEqual([["mode", "merge"]]);
  });

  it("reads a from/to pair as the change of the field the action names", () => {
    const view = readAuditDetails("member.role_changed", { from: "member", to: "admin", email: "a@x.test" });
    expect(view.changed).toEqual([{ field: "role", before: "member", after: "admin" }]);
    expect(view.facts).toEqual([["email", "a@x.test"]]);
    expect(readAuditDetails("thing.moved", { from: 1, to: 2 }).changed).toEqual([
      { field: "value", before: "1", after: "2" },
    ]);
  });

  it("keeps new values apart when the earlier ones were not recorded", () => {
    const view = readAuditDetails("company.updated", { changes: { company_name: "Acme", max_users: 5 } });
    expect(view.changed).toEqual([]);
    expect(view.newValues).toEqual([
      ["company_name", "Acme"],
      ["max_users", "5"],
    ]);
    expect(view.facts).toEqual([]);
  });

  it("shows plain details as facts, and nothing for none", () => {
    expect(readAuditDetails("api_key.created", { name: "ci", permissions: { a: ["read"] } })).toEqual({
      changed: [],
      newValues: [],
      facts: [
        ["name", "ci"],
        ["permissions", '{"a":["read"]}'],
      ],
    });
    expect(readAuditDetails("x", null)).toEqual({ changed: [], newValues: [], facts: [] });
  });
});
