import { DrizzleQueryError } from "drizzle-orm";

/**
 * An error as logged and kept: for a failed drizzle query, D1's own error. Drizzle's wrapper names
 * the SQL and its bound parameters, which may hold payloads, emails or hashes and must not reach
 * logs or stored rows.
 */
export function errorText(error: unknown): string {
  const shown = error instanceof DrizzleQueryError && error.cause !== undefined ? error.cause : error;
  return shown instanceof Error ? `${shown.name}: ${shown.message}` : String(shown);
}
