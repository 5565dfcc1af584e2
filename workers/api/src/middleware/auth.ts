import { secretsEqual } from "@nexus/security";
import type { Context } from "hono";
import { type AppEnv, getConfig } from "../env.ts";

export function bearerToken(c: Context<AppEnv>): string | undefined {
  const header = c.req.header("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

export function isAdminSecret(c: Context<AppEnv>, token: string): Promise<boolean> {
  return secretsEqual(token, getConfig(c.env).NEXUS_ADMIN_SECRET);
}
