// better-auth's own endpoints (sign-up, sign-in, sessions, password reset, email verification,
// organizations and invitations, operators): /api/auth/*. They answer in better-auth's format
// (`{ code, message }` on errors), which its client in the dashboard expects.
import { Hono } from "hono";
import { authFor } from "../../auth/auth.ts";
import type { AppEnv } from "../../env.ts";

export const authRoutes = new Hono<AppEnv>().on(["GET", "POST"], "/api/auth/*", (c) =>
  authFor(c.env).handler(c.req.raw),
);
