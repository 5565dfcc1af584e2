import type { Context, MiddlewareHandler } from "hono";
import { type AppEnv, getConfig } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { secretsEqual } from "../lib/hash.ts";

const challenge = { "WWW-Authenticate": 'Bearer realm="nexus-central"' };

export function bearerToken(c: Context<AppEnv>): string | undefined {
  const header = c.req.header("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

export function isAdminSecret(c: Context<AppEnv>, token: string): Promise<boolean> {
  return secretsEqual(token, getConfig(c.env).NEXUS_ADMIN_SECRET);
}

/** Operator routes: `Authorization: Bearer <NEXUS_ADMIN_SECRET>`. */
export const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c);
  if (!token) {
    throw new ApiError(
      "UNAUTHORIZED",
      "This route needs `Authorization: Bearer <operator credential>`.",
      undefined,
      challenge,
    );
  }
  if (!(await isAdminSecret(c, token))) {
    throw new ApiError("UNAUTHORIZED", "The operator credential is not valid.", undefined, challenge);
  }
  c.set("actor", { type: "operator", id: "admin-secret" });
  await next();
};
