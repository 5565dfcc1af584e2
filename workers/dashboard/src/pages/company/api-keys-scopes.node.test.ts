import { CreateApiKeyRequestSchema, companyPermissions } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import * as scopes from "./api-keys-scopes.ts";

describe("API key scopes", () => {
  it("offer every company permission except managing keys, which keys never get", () => {
    expect(scopes.KEY_SCOPE_GROUPS.map((group) => group.resource)).toEqual(
      Object.keys(companyPermissions).filter((resource) => resource !== "api_keys"),
    );
    expect(scopes.KEY_SCOPE_GROUPS.find((group) => group.resource === "audit_log")?.label).toBe("audit log");
  });

  it("build the create route's permission map in the catalogue's order", () => {
    const selected = new Set([
      scopes.scopeId("telemetry", "read"),
      scopes.scopeId("installations", "deactivate"),
      scopes.scopeId("installations", "read"),
      scopes.scopeId("api_keys", "manage"),
      "nonsense:read",
    ]);
    const map = scopes.permissionMap(selected);
    expect(map).toEqual({ installations: ["read", "deactivate"], telemetry: ["read"] });
    expect(CreateApiKeyRequestSchema.parse({ name: "ERP", permissions: map }).permissions).toEqual(map);
    expect(scopes.permissionMap(new Set())).toEqual({});
  });

  it("offer a read-only set and describe a key's permissions in words", () => {
    expect(scopes.READ_ONLY_SCOPES.length).toBeGreaterThan(5);
    expect(scopes.READ_ONLY_SCOPES.every((id) => id.endsWith(":read"))).toBe(true);
    expect(scopes.READ_ONLY_SCOPES).not.toContain("api_keys:read");
    expect(
      scopes.describePermissions({
        feature_flags: ["read", "manage"],
        projects: ["read_assigned"],
        legacy: ["x"],
      }),
    ).toEqual(["feature flags: read, manage", "projects: read assigned", "legacy: x"]);
  });
});
