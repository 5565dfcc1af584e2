import { z } from "zod";
import { define } from "../shared/route-contract.ts";
import { HealthResponseSchema } from "./schemas.ts";

export const systemRoutes = {
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
} as const;
