// The route catalogue: each HTTP operation's method, path, schemas and possible errors. The API
// mounts its handlers from these entries and the OpenAPI document is generated from them, so the
// docs cannot drift from what the handlers validate.
import { z } from "zod";
import {
  AuditLogListSchema,
  AuditLogQuerySchema,
  CompanyListQuerySchema,
  CompanyListSchema,
  CompanyResponseSchema,
  CreateRegistrationTokenRequestSchema,
  HealthResponseSchema,
  InstallationListQuerySchema,
  InstallationListSchema,
  InstallationResponseSchema,
  RegistrationTokenResponseSchema,
  SuspendCompanyRequestSchema,
  TenantPoolStatusSchema,
  UpdateCompanyRequestSchema,
  UpdateSettingsRequestSchema,
} from "./admin.ts";
import {
  HeartbeatRequestSchema,
  HeartbeatResponseSchema,
  RegisterRequestSchema,
  RegisterResponseSchema,
  ValidateRequestSchema,
  ValidateResponseSchema,
} from "./company.ts";
import type { ErrorCode } from "./errors.ts";
import { BroadcastRequestSchema, HubStatsSchema, ServerMessageSchema } from "./live.ts";
import { RateLimitParamsSchema, RateLimitPolicySchema, RateLimitTableSchema } from "./rate-limits.ts";

export type AuthScheme = "none" | "adminSecret" | "registration" | "installationToken";

export interface RouteContract {
  method: "get" | "post" | "patch" | "put" | "delete";
  /** OpenAPI-style path, `{name}` for parameters. */
  path: string;
  summary: string;
  tag: string;
  auth: AuthScheme;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  headers?: Record<string, string>;
  status: 101 | 200 | 201 | 202;
  response: z.ZodType;
  errors: readonly ErrorCode[];
}

const define = <T extends RouteContract>(route: T): T => route;

const CompanyIdParams = z.object({ companyId: z.string().min(1).max(64) });
const InstallationParams = CompanyIdParams.extend({ installationId: z.string().min(1).max(64) });
const bodyErrors = [
  "VALIDATION_FAILED",
  "MALFORMED_JSON",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
] as const;
const adminErrors = ["UNAUTHORIZED"] as const;

export const routes = {
  health: define({
    method: "get",
    path: "/health",
    summary: "Liveness and central database check",
    tag: "system",
    auth: "none",
    status: 200,
    response: HealthResponseSchema,
    errors: ["SERVICE_UNAVAILABLE"],
  }),
  live: define({
    method: "get",
    path: "/health/live",
    summary: "Liveness only: answers without touching any binding (the benchmarks' baseline)",
    tag: "system",
    auth: "none",
    status: 200,
    response: z.object({ status: z.literal("ok") }),
    errors: [],
  }),
  jwks: define({
    method: "get",
    path: "/.well-known/jwks.json",
    summary: "Public keys that verify installation tokens (by kid)",
    tag: "system",
    auth: "none",
    status: 200,
    response: z.object({ keys: z.array(z.record(z.string(), z.string())) }).meta({ id: "Jwks" }),
    errors: ["CONFIGURATION_ERROR"],
  }),
  register: define({
    method: "post",
    path: "/api/company/register",
    summary: "Register a company and give it its own database",
    tag: "company",
    auth: "registration",
    body: RegisterRequestSchema,
    headers: {
      "Idempotency-Key": "Optional. A retried request with the same key returns the first response.",
    },
    status: 201,
    response: RegisterResponseSchema,
    errors: [
      ...bodyErrors,
      "UNAUTHORIZED",
      "REGISTRATION_TOKEN_INVALID",
      "FORBIDDEN",
      "COMPANY_CODE_TAKEN",
      "IDEMPOTENCY_KEY_REUSED",
      "IDEMPOTENCY_REQUEST_IN_PROGRESS",
      "TENANT_POOL_EXHAUSTED",
    ],
  }),
  validate: define({
    method: "post",
    path: "/api/company/validate",
    summary: "Join a company with its code; returns the installation's credential",
    tag: "company",
    auth: "none",
    body: ValidateRequestSchema,
    status: 200,
    response: ValidateResponseSchema,
    errors: [
      ...bodyErrors,
      "COMPANY_NOT_FOUND",
      "COMPANY_SUSPENDED",
      "SUBSCRIPTION_EXPIRED",
      "INSTALLATION_LIMIT_REACHED",
    ],
  }),
  heartbeat: define({
    method: "post",
    path: "/api/company/heartbeat",
    summary: "Regular check-in of an installation",
    tag: "company",
    auth: "installationToken",
    body: HeartbeatRequestSchema,
    status: 200,
    response: HeartbeatResponseSchema,
    errors: [
      ...bodyErrors,
      "UNAUTHORIZED",
      "INVALID_TOKEN",
      "TOKEN_EXPIRED",
      "INSTALLATION_NOT_FOUND",
      "INSTALLATION_DEACTIVATED",
      "COMPANY_SUSPENDED",
      "SUBSCRIPTION_EXPIRED",
    ],
  }),
  listCompanies: define({
    method: "get",
    path: "/api/admin/companies",
    summary: "List companies",
    tag: "operator",
    auth: "adminSecret",
    query: CompanyListQuerySchema,
    status: 200,
    response: CompanyListSchema,
    errors: [...adminErrors, "VALIDATION_FAILED"],
  }),
  getCompany: define({
    method: "get",
    path: "/api/admin/companies/{companyId}",
    summary: "Get a company",
    tag: "operator",
    auth: "adminSecret",
    params: CompanyIdParams,
    status: 200,
    response: CompanyResponseSchema,
    errors: [...adminErrors, "COMPANY_NOT_FOUND"],
  }),
  updateCompany: define({
    method: "patch",
    path: "/api/admin/companies/{companyId}",
    summary: "Change a company's tier, limits, channel or minimum app version",
    tag: "operator",
    auth: "adminSecret",
    params: CompanyIdParams,
    body: UpdateCompanyRequestSchema,
    status: 200,
    response: CompanyResponseSchema,
    errors: [...adminErrors, ...bodyErrors, "COMPANY_NOT_FOUND"],
  }),
  updateSettings: define({
    method: "put",
    path: "/api/admin/companies/{companyId}/settings",
    summary: "Update a company's settings (heartbeats then report settings_changed)",
    tag: "operator",
    auth: "adminSecret",
    params: CompanyIdParams,
    body: UpdateSettingsRequestSchema,
    status: 200,
    response: CompanyResponseSchema,
    errors: [...adminErrors, ...bodyErrors, "COMPANY_NOT_FOUND"],
  }),
  suspendCompany: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/suspend",
    summary: "Suspend a company: its installations are refused until it is resumed",
    tag: "operator",
    auth: "adminSecret",
    params: CompanyIdParams,
    body: SuspendCompanyRequestSchema,
    status: 200,
    response: CompanyResponseSchema,
    errors: [...adminErrors, ...bodyErrors, "COMPANY_NOT_FOUND"],
  }),
  resumeCompany: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/resume",
    summary: "Resume a suspended company",
    tag: "operator",
    auth: "adminSecret",
    params: CompanyIdParams,
    status: 200,
    response: CompanyResponseSchema,
    errors: [...adminErrors, "COMPANY_NOT_FOUND"],
  }),
  listInstallations: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/installations",
    summary: "List a company's installations",
    tag: "operator",
    auth: "adminSecret",
    params: CompanyIdParams,
    query: InstallationListQuerySchema,
    status: 200,
    response: InstallationListSchema,
    errors: [...adminErrors, "VALIDATION_FAILED", "COMPANY_NOT_FOUND"],
  }),
  deactivateInstallation: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/installations/{installationId}/deactivate",
    summary: "Deactivate an installation and free its seat",
    tag: "operator",
    auth: "adminSecret",
    params: InstallationParams,
    status: 200,
    response: InstallationResponseSchema,
    errors: [...adminErrors, "COMPANY_NOT_FOUND", "INSTALLATION_NOT_FOUND"],
  }),
  listAuditLog: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/audit-log",
    summary: "A company's audit log, newest first",
    tag: "operator",
    auth: "adminSecret",
    params: CompanyIdParams,
    query: AuditLogQuerySchema,
    status: 200,
    response: AuditLogListSchema,
    errors: [...adminErrors, "VALIDATION_FAILED", "COMPANY_NOT_FOUND"],
  }),
  createRegistrationToken: define({
    method: "post",
    path: "/api/admin/registration-tokens",
    summary: "Create a single-use registration token",
    tag: "operator",
    auth: "adminSecret",
    body: CreateRegistrationTokenRequestSchema,
    status: 201,
    response: RegistrationTokenResponseSchema,
    errors: [...adminErrors, ...bodyErrors],
  }),
  liveSocket: define({
    method: "get",
    path: "/api/live",
    summary:
      "WebSocket (upgrade) to the company's live channel: an installation token (Authorization: Bearer or ?token=) or, for dashboards, the operator credential with ?company_id=. Messages: LiveServerMessage / LiveClientMessage.",
    tag: "live",
    auth: "installationToken",
    query: z.object({ token: z.string().optional(), company_id: z.string().optional() }),
    status: 101,
    response: ServerMessageSchema,
    errors: [
      "UPGRADE_REQUIRED",
      "UNAUTHORIZED",
      "INVALID_TOKEN",
      "TOKEN_EXPIRED",
      "INSTALLATION_DEACTIVATED",
      "COMPANY_SUSPENDED",
      "COMPANY_NOT_FOUND",
    ],
  }),
  broadcast: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/broadcast",
    summary: "Send a message to every live connection of a company",
    tag: "operator",
    auth: "adminSecret",
    params: CompanyIdParams,
    body: BroadcastRequestSchema,
    status: 200,
    response: z.object({ success: z.literal(true), delivered: z.number().int() }),
    errors: [...adminErrors, ...bodyErrors, "COMPANY_NOT_FOUND"],
  }),
  hubStats: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/hub",
    summary: "The company's CompanyHub: heartbeats, D1 writes, installations by state, live sockets",
    tag: "operator",
    auth: "adminSecret",
    params: CompanyIdParams,
    status: 200,
    response: HubStatsSchema,
    errors: [...adminErrors, "COMPANY_NOT_FOUND"],
  }),
  listRateLimits: define({
    method: "get",
    path: "/api/admin/rate-limits",
    summary: "Effective rate limits per subscription tier, and the anonymous (per-IP) ones",
    tag: "operator",
    auth: "adminSecret",
    status: 200,
    response: RateLimitTableSchema,
    errors: [...adminErrors],
  }),
  setRateLimit: define({
    method: "put",
    path: "/api/admin/rate-limits/{tier}/{name}",
    summary: "Change one rate limit of a tier (companies pick it up within minutes)",
    tag: "operator",
    auth: "adminSecret",
    params: RateLimitParamsSchema,
    body: RateLimitPolicySchema,
    status: 200,
    response: RateLimitTableSchema,
    errors: [...adminErrors, ...bodyErrors],
  }),
  tenantPoolStatus: define({
    method: "get",
    path: "/api/admin/tenant-pool",
    summary: "State of the tenant database pool",
    tag: "operator",
    auth: "adminSecret",
    status: 200,
    response: TenantPoolStatusSchema,
    errors: [...adminErrors],
  }),
} as const;

export type RouteName = keyof typeof routes;
