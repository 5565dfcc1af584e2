import type { z } from "zod";
import { ApiError } from "./errors.ts";

/** A zod failure as a 400 whose message names each offending field. */
export function validationError(error: z.core.$ZodError, where: string): ApiError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
  const summary = issues
    .slice(0, 5)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join("; ");
  return new ApiError("VALIDATION_FAILED", `Invalid ${where}: ${summary}`, { issues });
}
