// The API's better-auth instance: the shared options (@nexus/db/auth-options) on the central D1 through the
// drizzle adapter, with the secret from the environment and mail through the Mailer.
import * as authSchema from "@nexus/db/auth";
import { authOptions } from "@nexus/db/auth-options";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { createAuthMiddleware } from "better-auth/api";
import { drizzle } from "drizzle-orm/d1";
import { getConfig } from "../env.ts";
import { newId } from "../lib/ids.ts";
import { authMail, mailerFor } from "../services/mail.ts";
import { invitationFromAuth, notifyMemberInvited } from "../services/notifications/system-events.ts";
import { reindexMembersAfterAuth } from "../services/search/member-index.ts";
import { forgetIdentities } from "./identity-cache.ts";

/**
 * Every endpoint but get-session may end a session or change what it allows (sign-out, revoking
 * sessions, bans, password resets, removing a member, changing a role or a custom role's
 * permissions): after any of them this isolate forgets the sessions and memberships it remembered
 * (identity-cache.ts). Most are rare next to the reads the memory saves.
 */
function afterChanges(env: Env) {
  return createAuthMiddleware(async (ctx) => {
    if (ctx.path === "/get-session") return;
    forgetIdentities();
    // Members are searchable; their entries live in each company's tenant database (docs/search.md).
    await reindexMembersAfterAuth(env, {
      path: ctx.path,
      body: ctx.body,
      returned: ctx.context.returned,
      userId: ctx.context.session?.user.id ?? ctx.context.newSession?.user.id,
    });
    // An invitation also tells the company's admins in-app (queued: never slows or fails the invite).
    const invitation = invitationFromAuth(ctx.path, ctx.context.returned);
    if (invitation) await notifyMemberInvited(env, invitation, ctx.context.session?.user.name ?? null);
  });
}

function createAuth(env: Env) {
  const config = getConfig(env);
  const db = drizzle(env.CENTRAL_DB);
  return betterAuth({
    ...authOptions(authMail(mailerFor(env, db))),
    secret: config.BETTER_AUTH_SECRET,
    baseURL: config.PUBLIC_URL,
    trustedOrigins: config.DASHBOARD_ORIGINS,
    database: drizzleAdapter(db, { provider: "sqlite", schema: authSchema }),
    hooks: { after: afterChanges(env) },
    advanced: {
      database: { generateId: () => newId() },
      // Behind Cloudflare the client address is CF-Connecting-IP (sign-in rate limits key on it).
      ipAddress: { ipAddressHeaders: ["cf-connecting-ip"] },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

// One instance per isolate and environment: building it compiles the plugins' endpoints.
const instances = new WeakMap<Env, Auth>();

export function authFor(env: Env): Auth {
  let auth = instances.get(env);
  if (!auth) {
    auth = createAuth(env);
    instances.set(env, auth);
  }
  return auth;
}
