// Who may call an operation: each auth scheme of the contract (see AuthScheme in @nexus/contracts)
// is enforced here, by the guards lib/operation.ts mounts in front of every handler. A guard sets
// `caller`, typed for the handler by its scheme (caller.ts). Most guards run before the request is
// validated; those that need validated input (the body's company, the link's signature, the
// webhook's provider) run after it.
import type { RouteContract } from "@nexus/contracts";
import type { Context, MiddlewareHandler } from "hono";
import { type AppEnv, getConfig } from "../env.ts";
import { ApiError, revalidate } from "../lib/errors.ts";
import { readLimited } from "../lib/json-body.ts";
import { isApiKey, keyAllows, requestApiKey } from "../services/api-keys.ts";
import { assertCompanyUsable } from "../services/companies.ts";
import { documentLinkValid } from "../services/documents/links.ts";
import { sentryKeyCaller } from "../services/errors/ingest/sentry-caller.ts";
import { inboundVerifier } from "../services/inbound-webhooks.ts";
import { memberAccess } from "../services/member-access.ts";
import { bearerToken, isAdminSecret } from "./auth.ts";
import {
  assertCompanyExists,
  authenticate,
  authorizeInstallation,
  authorizeKey,
  authorizeMember,
  challenge,
  installationCaller,
} from "./authenticate.ts";

type Guard = (c: Context<AppEnv>, route: RouteContract) => Promise<void>;

const notValidHere = () =>
  new ApiError("UNAUTHORIZED", "The bearer credential is not valid here.", undefined, challenge);

const operator: Guard = async (c) => {
  const principal = await authenticate(c);
  if (principal.kind === "installation") throw notValidHere();
  if (principal.kind !== "operator") throw new ApiError("FORBIDDEN", "Only platform operators may do this.");
  c.set("caller", principal);
};

const company: Guard = async (c, route) => {
  const principal = await authenticate(c);
  const companyId = c.req.param("companyId") ?? "";
  if (principal.kind === "operator") await assertCompanyExists(c, companyId);
  else if (principal.kind === "user") await authorizeMember(c, principal.userId, companyId, route.permission);
  else if (principal.kind === "apiKey") await authorizeKey(c, principal.key, companyId, route.permission);
  else if (route.installations) await authorizeInstallation(c, principal, companyId);
  else throw notValidHere();
  c.set("caller", principal);
};

/**
 * The caller's own things in a company (inbox, preferences, push subscriptions): any signed-in
 * member, whatever their role. Operators and keys have none, so they are told so rather than shown
 * an empty inbox that looks like a bug.
 */
const companyUser: Guard = async (c) => {
  const principal = await authenticate(c);
  if (principal.kind === "installation") throw notValidHere();
  if (principal.kind !== "user") {
    throw new ApiError(
      "FORBIDDEN",
      "This is a signed-in company user's own (inbox, notification preferences, push subscriptions); sign in as that user.",
    );
  }
  const companyId = c.req.param("companyId") ?? "";
  const access = await memberAccess(c, companyId, principal.userId);
  if (!access) throw new ApiError("COMPANY_NOT_FOUND", `No company has the id ${companyId}.`);
  assertCompanyUsable(access.company);
  c.set("caller", principal);
};

/** Signed-in users and operators; which company is checked once the body is read (memberOfBody). */
const member: Guard = async (c) => {
  const principal = await authenticate(c);
  if (principal.kind !== "user" && principal.kind !== "operator") {
    throw new ApiError("FORBIDDEN", "This is for the company's signed-in users.");
  }
  c.set("caller", principal);
};

const memberOfBody: Guard = async (c, route) => {
  const caller = c.get("caller");
  if (caller.kind !== "user") return;
  const { company_id } = c.req.valid("json" as never) as { company_id: string };
  await authorizeMember(c, caller.userId, company_id, route.permission);
};

const installationToken: Guard = async (c, route) => {
  // electron-updater and browsers' WebSockets cannot always set headers: routes that declare a
  // `token` query parameter take it there too.
  const inQuery = route.query !== undefined && "token" in route.query.shape;
  const token = bearerToken(c) ?? (inQuery ? c.req.query("token") : undefined);
  if (!token) {
    throw new ApiError(
      "UNAUTHORIZED",
      `Send the installation token from /api/company/validate as \`Authorization: Bearer <token>\`${inQuery ? " (or ?token=)" : ""}.`,
      revalidate,
    );
  }
  c.set("caller", await installationCaller(c, token));
};

const installationTokenOrApiKey: Guard = async (c, route) => {
  const token = bearerToken(c);
  if (!token) {
    throw new ApiError(
      "UNAUTHORIZED",
      "Send an installation token or a company API key as `Authorization: Bearer <token>`.",
      revalidate,
    );
  }
  if (!isApiKey(token)) {
    c.set("caller", await installationCaller(c, token));
    return;
  }
  const key = await requestApiKey(c, token);
  const permission = route.permission;
  if (permission && !keyAllows(key, permission.resource, permission.action)) {
    throw new ApiError(
      "FORBIDDEN",
      `This API key lacks the ${permission.resource}:${permission.action} permission.`,
    );
  }
  c.set("caller", { kind: "apiKey", key });
};

/** What a member without the live route's own permission needs for a socket limited to their jobs. */
const LIMITED_LIVE_PERMISSION = { resource: "projects", action: "read_assigned" } as const;

/**
 * The live socket: an app's installation token (header or `?token=`), or a dashboard naming the
 * company with `?company_id=`, signed in as a member (or an operator, whose credential is accepted
 * in the header only).
 */
const installationTokenOrMember: Guard = async (c, route) => {
  const headerToken = bearerToken(c);
  const token = headerToken ?? c.req.query("token");
  const dashboardCompany = c.req.query("company_id");
  if (dashboardCompany && (!token || (headerToken && (await isAdminSecret(c, headerToken))))) {
    const principal = await authenticate(c);
    if (principal.kind === "apiKey" || principal.kind === "installation") {
      throw new ApiError(
        "FORBIDDEN",
        "Open a dashboard connection as an operator or a member of the company.",
      );
    }
    if (principal.kind === "user") {
      // Members without the route's permission (installers) may still connect, limited to their
      // assigned projects: routes/live/live-socket.ts decides what the socket carries.
      await authorizeMember(c, principal.userId, dashboardCompany, route.permission).catch(async (error) => {
        if (!(error instanceof ApiError) || error.code !== "FORBIDDEN") throw error;
        await authorizeMember(c, principal.userId, dashboardCompany, LIMITED_LIVE_PERMISSION);
      });
    }
    c.set("caller", principal);
    return;
  }
  if (!token) {
    throw new ApiError(
      "UNAUTHORIZED",
      "Connect with an installation token (Authorization: Bearer or ?token=), or as a signed-in dashboard user with ?company_id=.",
      revalidate,
    );
  }
  c.set("caller", await installationCaller(c, token));
};

/** Every failure looks the same, so a link's holder learns nothing about what is wrong with it. */
const signedLink: Guard = async (c) => {
  const { companyId = "", documentId = "" } = c.req.param();
  const expires = c.req.query("expires") ?? "";
  const signature = c.req.query("signature") ?? "";
  const link = { companyId, documentId, expires, signature };
  if (!(await documentLinkValid(getConfig(c.env), link))) {
    throw new ApiError("DOCUMENT_LINK_INVALID", "This link is not valid or has expired. Ask for a new one.");
  }
  c.set("caller", { kind: "signedLink" });
};

/** Stripe, GitHub and Twilio stay far below this (GitHub caps payloads at 25 MB, but sends ~10–100 KB). */
const INBOUND_BODY_LIMIT = 1024 * 1024;

const webhookSignature: Guard = async (c) => {
  const provider = c.req.param("provider") ?? "";
  const config = getConfig(c.env);
  const verify = inboundVerifier(config, provider);
  if (!verify) {
    throw new ApiError(
      "WEBHOOK_PROVIDER_NOT_CONFIGURED",
      `This deployment does not receive webhooks from "${provider}". See docs/configuration.md.`,
    );
  }
  const body = await readLimited(c.req.raw, INBOUND_BODY_LIMIT);
  // The URL the sender signed (Twilio) is the public one, whatever host the request reached.
  const requested = new URL(c.req.url);
  const url = new URL(requested.pathname + requested.search, config.PUBLIC_URL).toString();
  const verified = await verify({ url, headers: c.req.raw.headers, body }, Math.floor(Date.now() / 1000));
  c.set("caller", { kind: "webhook", verified, body });
};

/**
 * An app's Sentry SDK: the DSN's public key, checked in constant time against the project of the
 * path (cached per isolate for PROJECT_CACHE_TTL_MS, so a revocation applies within 10 s).
 */
const sentryKey: Guard = async (c, route) => {
  c.set("caller", await sentryKeyCaller(c, route.path.endsWith("/envelope/")));
};

const none: Guard = async () => {};

/** Which guard runs before validation and which after, per scheme. */
const guards: Record<RouteContract["auth"], { before: Guard; after: Guard }> = {
  none: { before: none, after: none },
  // Checked by the handler: an idempotent replay is answered before a single-use token is spent.
  registration: { before: none, after: none },
  operator: { before: operator, after: none },
  company: { before: company, after: none },
  companyUser: { before: companyUser, after: none },
  member: { before: member, after: memberOfBody },
  installationToken: { before: installationToken, after: none },
  installationTokenOrApiKey: { before: installationTokenOrApiKey, after: none },
  installationTokenOrMember: { before: installationTokenOrMember, after: none },
  signedLink: { before: none, after: signedLink },
  webhookSignature: { before: none, after: webhookSignature },
  sentryKey: { before: sentryKey, after: none },
};

const asMiddleware =
  (guard: Guard, route: RouteContract): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    await guard(c, route);
    await next();
  };

/** The access middleware of `route`'s scheme, split around validation. */
export function accessFor(route: RouteContract): {
  before: MiddlewareHandler<AppEnv>[];
  after: MiddlewareHandler<AppEnv>[];
} {
  const { before, after } = guards[route.auth];
  return {
    before: before === none ? [] : [asMiddleware(before, route)],
    after: after === none ? [] : [asMiddleware(after, route)],
  };
}
