import { COMPANY_ROLES } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { accessAmong, allows, mayTry, ROLE_SUMMARIES, roleHeadline, roleSummary } from "./members-roles.ts";

const manageMembers = { resource: "members", action: "manage" } as const;

describe("role descriptions", () => {
  it("describe every built-in role from the permission table the API enforces", () => {
    expect(ROLE_SUMMARIES.map((summary) => summary.role)).toEqual([...COMPANY_ROLES]);
    const owner = roleSummary("owner");
    expect(owner.changes).toContain("API keys");
    // Releases, the audit log and search (its query report included) are read-only for everyone.
    expect(owner.reads).toEqual(["releases", "audit log", "search"]);
    expect(owner.changes).not.toContain("search");
    // Admins see API keys but cannot create them.
    const admin = roleSummary("admin");
    expect(admin.reads).toEqual(["releases", "audit log", "API keys", "search"]);
    expect(admin.changes).not.toContain("API keys");
    expect(admin.changes).toContain("members");
    const member = roleSummary("member");
    expect(member.changes).toEqual(["documents", "projects", "chat"]);
    expect(member.reads).toContain("installations");
    expect(member.reads).toContain("members");
    // Installers work on their assigned projects only and see no installations.
    const installer = roleSummary("installer");
    expect(installer.changes).toEqual(["documents", "projects (assigned to them)", "chat"]);
    expect([...installer.changes, ...installer.reads].join()).not.toContain("installations");
  });

  it("say what a role name means, custom and combined ones included", () => {
    expect(roleHeadline("installer")).toContain("assigned");
    expect(roleHeadline("admin,installer")).toBe("Everything the admin and installer roles allow.");
    expect(roleHeadline("auditor")).toBe("A role this company defined.");
  });
});

describe("what the signed-in person may do", () => {
  it("follows the built-in roles, lets operators do everything and leaves custom roles to the API", () => {
    const as = (role: string) => ({ kind: "member", userId: "u1", role }) as const;
    expect(allows({ kind: "operator" }, manageMembers)).toBe(true);
    expect(allows(as("owner"), manageMembers)).toBe(true);
    expect(allows(as("admin"), { resource: "api_keys", action: "manage" })).toBe(false);
    expect(allows(as("member"), manageMembers)).toBe(false);
    expect(allows(as("member,admin"), manageMembers)).toBe(true);
    expect(allows(as("auditor"), manageMembers)).toBeUndefined();
    expect(allows(as("member,auditor"), manageMembers)).toBeUndefined();
    expect(allows({ kind: "unknown" }, manageMembers)).toBeUndefined();
    // Controls are hidden only when the role surely lacks the permission.
    expect(mayTry(as("member"), manageMembers)).toBe(false);
    expect(mayTry(as("auditor"), manageMembers)).toBe(true);
  });

  it("finds the person among the members by user id", () => {
    const members = [
      { user_id: "u1", role: "owner" },
      { user_id: "u2", role: "member" },
    ];
    expect(accessAmong({ id: "u2", operator: false }, members)).toEqual({
      kind: "member",
      userId: "u2",
      role: "member",
    });
    expect(accessAmong({ id: "u9", operator: false }, members)).toEqual({ kind: "unknown" });
    expect(accessAmong({ id: "u9", operator: true }, members)).toEqual({ kind: "operator" });
  });
});
