export * from "./admin.ts";
export * from "./common.ts";
export * from "./company.ts";
export * from "./errors.ts";
export * from "./live.ts";
export * from "./openapi.ts";
export * from "./rate-limits.ts";
export * from "./routes.ts";
