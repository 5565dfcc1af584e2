import { zValidator } from "@hono/zod-validator";
import type { z } from "zod";
import { validationError } from "./validation.ts";

/** `/api/admin/companies/{companyId}` (OpenAPI, as in the contracts) → `/api/admin/companies/:companyId` (Hono). */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ":$1");
}

/** Validates query parameters; failures become the 400 envelope naming each field. */
export const validQuery = <S extends z.ZodObject>(schema: S) =>
  zValidator("query", schema, (result) => {
    if (!result.success) throw validationError(result.error, "query parameters");
  });

/** Validates path parameters; failures become the 400 envelope naming each field. */
export const validParams = <S extends z.ZodObject>(schema: S) =>
  zValidator("param", schema, (result) => {
    if (!result.success) throw validationError(result.error, "path parameters");
  });
