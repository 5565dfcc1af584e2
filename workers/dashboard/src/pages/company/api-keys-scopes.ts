// What an API key may be given: the company permissions of @nexus/contracts, except API keys' own
// (the API refuses keys that manage keys), and the permission map the create route takes.
import { type CompanyPermissionRef, type CompanyResource, companyPermissions } from "@nexus/contracts";
import { resourceLabel } from "./members-roles.ts";

export interface ScopeGroup {
  resource: CompanyResource;
  label: string;
  actions: readonly string[];
}

export const KEY_SCOPE_GROUPS: readonly ScopeGroup[] = (
  Object.entries(companyPermissions) as [CompanyResource, readonly string[]][]
)
  .filter(([resource]) => resource !== "api_keys")
  .map(([resource, actions]) => ({ resource, label: resourceLabel(resource), actions }));

/** "installations:read": one permission, as the form's checkboxes track it. */
export const scopeId = (resource: string, action: string): string => `${resource}:${action}`;

export const actionLabel = (action: string): string => action.replaceAll("_", " ");

/** The permission reference of a scope, for checking it against a role. */
export const scopeRef = (resource: CompanyResource, action: string): CompanyPermissionRef =>
  ({ resource, action }) as CompanyPermissionRef;

/** Every read permission: a key that looks but changes nothing. */
export const READ_ONLY_SCOPES: readonly string[] = KEY_SCOPE_GROUPS.flatMap((group) =>
  group.actions.filter((action) => action === "read").map((action) => scopeId(group.resource, action)),
);

/** The create route's `permissions` from the chosen scopes, in the catalogue's order. */
export function permissionMap(selected: ReadonlySet<string>): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const group of KEY_SCOPE_GROUPS) {
    const actions = group.actions.filter((action) => selected.has(scopeId(group.resource, action)));
    if (actions.length > 0) map[group.resource] = actions;
  }
  return map;
}

/** A key's permissions in words, one line per resource: "installations: read, deactivate". */
export function describePermissions(map: Record<string, string[]>): string[] {
  return Object.entries(map).map(([resource, actions]) => {
    const known = resource in companyPermissions ? resourceLabel(resource as CompanyResource) : resource;
    return `${known}: ${actions.map(actionLabel).join(", ")}`;
  });
}
