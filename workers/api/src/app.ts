import { errorText } from "@nexus/db";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env.ts";
import { ApiError, errorResponse } from "./lib/errors.ts";
import { authenticate } from "./middleware/authenticate.ts";
import { csrfProtection } from "./middleware/csrf.ts";
import { init } from "./middleware/init.ts";
import { securityHeaders } from "./middleware/security-headers.ts";
import { authRoutes } from "./routes/auth/auth.ts";
import { operations } from "./routes/index.ts";
import { docsRoutes } from "./routes/system/docs.ts";

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", init);
  app.use("*", securityHeaders);
  app.use("*", csrfProtection);

  for (const operation of operations) operation.mount(app);
  app.route("/", authRoutes);
  app.route("/", docsRoutes);

  app.notFound(async (c) => {
    const path = new URL(c.req.url).pathname;
    try {
      // A caller proves who they are before learning that an /api/admin path does not exist.
      if (path.startsWith("/api/admin/")) await authenticate(c);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(c, error);
      throw error;
    }
    return errorResponse(
      c,
      new ApiError("NOT_FOUND", `There is no route ${c.req.method} ${path}. See /docs.`),
    );
  });
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(
        c,
        new ApiError(error.status === 413 ? "PAYLOAD_TOO_LARGE" : "VALIDATION_FAILED", error.message),
      );
    }
    // Unexpected: log it with the request id; the client gets the id and no internals.
    console.error(
      JSON.stringify({
        level: "error",
        event: "unhandled_error",
        request_id: c.get("requestId"),
        path: new URL(c.req.url).pathname,
        // D1's own error, never drizzle's wrapper, which lists the query's bound values.
        error: errorText(error),
      }),
    );
    return errorResponse(
      c,
      new ApiError(
        "INTERNAL_ERROR",
        "Something went wrong on our side. Quote the request id if you contact support.",
      ),
    );
  });
  return app;
}
