// What a route of the catalogue declares (method, path, schemas, who may call it, its errors), and the
// pieces many resources' routes share: the company id in the path and the common error lists.
import { z } from "zod";
import type { ErrorCode } from "./errors.ts";
import type { CompanyPermissionRef } from "./permissions.ts";

/**
 * Who may call a route. The API enforces each scheme in one middleware (workers/api/src/middleware/
 * access.ts), chosen by this field, before the handler runs:
 * - `none`: anybody.
 * - `operator`: platform operators (NEXUS_ADMIN_SECRET or an operator's session).
 * - `company`: operators, and the company's dashboard users or API keys holding `permission`
 *   (`{companyId}` in the path); with `installations`, the company's own apps too.
 * - `companyUser`: a signed-in user of the company (`{companyId}` in the path), any role and no
 *   permission: for what is the caller's own (their inbox, notification preferences, push
 *   subscriptions). Operators, API keys and installations have no such things and are refused.
 * - `member`: a signed-in member of the company named in the body's `company_id` (the mobile app's
 *   users) holding `permission`, or an operator.
 * - `installationToken`: an installation token (`Authorization: Bearer`, or `?token=` where the
 *   query declares `token`).
 * - `installationTokenOrApiKey`: an installation token, or a company API key holding `permission`.
 * - `installationTokenOrMember`: an installation token, or (with `?company_id=`) an operator or a
 *   member of that company holding `permission` (dashboards on the live socket).
 * - `signedLink`: the query's `expires` and `signature`, an HMAC over the path's ids.
 * - `webhookSignature`: the sender's signature over the raw body, by the `{provider}`'s scheme.
 * - `registration`: the registration credential, checked by the handler itself because an
 *   idempotent replay is answered before a single-use token is spent.
 * - `sentryKey`: an error project's public DSN key (`{projectId}` in the path), as Sentry SDKs send
 *   it: the `X-Sentry-Auth` header (`Sentry sentry_key=…, sentry_version=7`), `?sentry_key=`, or
 *   the `dsn` in the envelope's header.
 */
export type AuthScheme =
  | "none"
  | "operator"
  | "company"
  | "companyUser"
  | "registration"
  | "installationToken"
  | "installationTokenOrApiKey"
  | "installationTokenOrMember"
  | "member"
  | "signedLink"
  | "webhookSignature"
  | "sentryKey";

export interface RouteContract {
  method: "get" | "post" | "patch" | "put" | "delete";
  /** OpenAPI-style path, `{name}` for parameters. */
  path: string;
  summary: string;
  tag: string;
  auth: AuthScheme;
  /** For `company` routes: what a dashboard user's role must allow. */
  permission?: CompanyPermissionRef;
  /** For `company` routes: the company's own installations (the desktop and mobile apps) may call it too. */
  installations?: true;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  headers?: Record<string, string>;
  status: 101 | 200 | 201 | 202;
  response: z.ZodType;
  /** Set when the success response is not JSON (channel files, artifacts). */
  responseType?: string;
  /** The success may instead be a stream of this type, when the request asks for one (`stream: true`). */
  streamType?: string;
  /** The request body is raw bytes (file uploads), not JSON. */
  rawBody?: true;
  /** For `rawBody` routes: the media types the body is documented with (comma-separated). */
  rawBodyType?: string;
  errors: readonly ErrorCode[];
}

export const define = <T extends RouteContract>(route: T): T => route;

export const CompanyIdParams = z.object({ companyId: z.string().min(1).max(64) });
export const bodyErrors = [
  "VALIDATION_FAILED",
  "MALFORMED_JSON",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
] as const;
export const adminErrors = ["UNAUTHORIZED"] as const;
/** What a company route answers a dashboard user or API key it does not let through. */
export const companyErrors = ["FORBIDDEN", "COMPANY_NOT_FOUND", "COMPANY_SUSPENDED"] as const;
export const crmErrors = ["TENANT_DATABASE_EXTERNAL"] as const;
