// What the built-in roles may do, in words, derived from the same permission table the API enforces
// (@nexus/contracts permissions.ts), so the description cannot drift from the rules. Also: whether
// the signed-in person's role allows an action, to offer only the controls that can work.
import {
  COMPANY_ROLES,
  type CompanyPermission,
  type CompanyPermissionRef,
  type CompanyResource,
  type CompanyRole,
  companyRolePermissions,
} from "@nexus/contracts";

const RESOURCE_LABELS: Record<CompanyResource, string> = {
  installations: "installations",
  settings: "settings",
  releases: "releases",
  audit_log: "audit log",
  webhooks: "webhooks",
  documents: "documents",
  machines: "machines",
  telemetry: "telemetry",
  api_keys: "API keys",
  messages: "messages",
  members: "members",
  showrooms: "showrooms",
  projects: "projects",
  pipeline: "pipeline",
  feature_flags: "feature flags",
  llm: "LLM gateway",
  errors: "error tracking",
  search: "search",
  notifications: "notifications",
  chat: "chat",
};

export const resourceLabel = (resource: CompanyResource): string => RESOURCE_LABELS[resource];

const HEADLINES: Record<CompanyRole, string> = {
  owner: "Full control, including API keys and who the owners are.",
  admin: "Runs the company day to day; sees API keys but cannot create them.",
  member: "Works on projects and documents; sees the rest.",
  installer: "Field installers: only the projects assigned to them.",
};

const isBuiltInRole = (role: string): role is CompanyRole =>
  (COMPANY_ROLES as readonly string[]).includes(role);

export interface RoleSummary {
  role: CompanyRole;
  headline: string;
  /** Resources the role changes (any action beyond reading). */
  changes: string[];
  /** Resources the role only reads. */
  reads: string[];
}

// The search report only reads the query log.
const READ_ACTIONS = new Set(["read", "read_assigned", "analytics"]);

function label(resource: CompanyResource, actions: readonly string[]): string {
  // Installers read only the projects assigned to them.
  const assignedOnly = actions.includes("read_assigned") && !actions.includes("read");
  return assignedOnly ? `${RESOURCE_LABELS[resource]} (assigned to them)` : RESOURCE_LABELS[resource];
}

export function roleSummary(role: CompanyRole): RoleSummary {
  const changes: string[] = [];
  const reads: string[] = [];
  const permissions: CompanyPermission = companyRolePermissions[role];
  for (const [resource, actions] of Object.entries(permissions) as [CompanyResource, string[]][]) {
    if (actions.length === 0) continue;
    const list = actions.some((action) => !READ_ACTIONS.has(action)) ? changes : reads;
    list.push(label(resource, actions));
  }
  return { role, headline: HEADLINES[role], changes, reads };
}

export const ROLE_SUMMARIES: readonly RoleSummary[] = COMPANY_ROLES.map(roleSummary);

/** A one-line description for a role name (a custom role is described as one). */
export function roleHeadline(role: string): string {
  const roles = role.split(",").map((name) => name.trim());
  if (roles.length === 1 && isBuiltInRole(role)) return HEADLINES[role];
  return roles.every(isBuiltInRole)
    ? `Everything the ${roles.join(" and ")} roles allow.`
    : "A role this company defined.";
}

/** Who the signed-in person is in the company, as far as the page can tell. */
export type CompanyAccess =
  | { kind: "operator" }
  | { kind: "member"; userId: string; role: string }
  /** Not known (the list of members could not be read): the API decides every action. */
  | { kind: "unknown" };

/**
 * Whether `access` allows `permission`: operators may do everything; a member's built-in roles are
 * checked against the table; `undefined` when it depends on a custom role only the API knows.
 */
export function allows(access: CompanyAccess, permission: CompanyPermissionRef): boolean | undefined {
  if (access.kind === "operator") return true;
  if (access.kind === "unknown") return undefined;
  const roles = access.role.split(",").map((name) => name.trim());
  let unknown = false;
  for (const role of roles) {
    if (!isBuiltInRole(role)) {
      unknown = true;
      continue;
    }
    const actions: readonly string[] = companyRolePermissions[role][permission.resource] ?? [];
    if (actions.includes(permission.action)) return true;
  }
  return unknown ? undefined : false;
}

/** Controls are offered unless the role surely does not allow them (the API still decides). */
export const mayTry = (access: CompanyAccess, permission: CompanyPermissionRef): boolean =>
  allows(access, permission) !== false;

/** The access of the signed-in user (`userId`) among the company's members. */
export function accessAmong(
  user: { id: string; operator: boolean },
  members: readonly { user_id: string; role: string }[],
): CompanyAccess {
  if (user.operator) return { kind: "operator" };
  const me = members.find((member) => member.user_id === user.id);
  return me ? { kind: "member", userId: user.id, role: me.role } : { kind: "unknown" };
}
