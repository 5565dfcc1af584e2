// What a company's dashboard users may do, per resource: better-auth's organization access-control
// statement (its own `organization`, `member`, `invitation`, `team` and `ac` resources are added
// by the API). Companies build custom roles from these actions; the built-in roles are below.

export const companyPermissions = {
  installations: ["read", "deactivate"],
  settings: ["read", "update"],
  releases: ["read"],
  audit_log: ["read"],
  webhooks: ["read", "manage"],
  documents: ["read", "write", "delete"],
  machines: ["read", "manage"],
  telemetry: ["read", "write"],
  api_keys: ["read", "manage"],
  messages: ["send"],
  members: ["read", "manage"],
  showrooms: ["read", "manage"],
  // read: every project; read_assigned: only projects the user is assigned to (installers).
  projects: ["read", "read_assigned", "write", "advance", "override"],
  pipeline: ["manage"],
  feature_flags: ["read", "manage"],
  // The LLM gateway: read its usage and settings, manage providers, keys and budgets, call it.
  llm: ["read", "manage", "use"],
  // App error tracking: read issues and release health; manage DSNs, issue states and source maps.
  errors: ["read", "manage"],
  // Federated search (each result still needs its own resource's read) and its query report.
  search: ["read", "analytics"],
  // Notifications: read the company's history, trigger workflows, manage workflows and templates.
  // Everyone reads their own inbox and sets their own preferences without any of these.
  notifications: ["read", "send", "manage"],
  // Project and direct chat (installers: only their assigned projects' conversations).
  chat: ["read", "write"],
} as const;

export type CompanyResource = keyof typeof companyPermissions;
/** One action on one resource: what a company route needs. */
export type CompanyPermissionRef = {
  [R in CompanyResource]: { resource: R; action: (typeof companyPermissions)[R][number] };
}[CompanyResource];

export type CompanyPermission = { [R in CompanyResource]?: (typeof companyPermissions)[R][number][] };

export const COMPANY_ROLES = ["owner", "admin", "member", "installer"] as const;
export type CompanyRole = (typeof COMPANY_ROLES)[number];

/** Every action on every resource. */
const allPermissions = Object.fromEntries(
  Object.entries(companyPermissions).map(([resource, actions]) => [resource, [...actions]]),
) as CompanyPermission;

/** The built-in roles' permissions on our resources (members and invitations: better-auth's defaults). */
export const companyRolePermissions: Record<CompanyRole, CompanyPermission> = {
  owner: allPermissions,
  // Everything but handing out API keys.
  admin: { ...allPermissions, api_keys: ["read"] },
  member: {
    installations: ["read"],
    settings: ["read"],
    releases: ["read"],
    documents: ["read", "write"],
    machines: ["read"],
    telemetry: ["read"],
    members: ["read"],
    showrooms: ["read"],
    projects: ["read", "read_assigned", "write", "advance"],
    feature_flags: ["read"],
    errors: ["read"],
    search: ["read"],
    notifications: ["read"],
    chat: ["read", "write"],
  },
  // Field installers (seed 001's mobile app): their own jobs only, with photos and check-ins.
  installer: {
    documents: ["read", "write"],
    showrooms: ["read"],
    projects: ["read_assigned", "write"],
    feature_flags: ["read"],
    search: ["read"],
    chat: ["read", "write"],
  },
};
