import { type AnyColumn, type SQL, sql } from "drizzle-orm";

/**
 * `column LIKE %text%` with the user's `%`, `_` and `\` taken literally (SQLite needs the ESCAPE
 * clause for that; drizzle's like() does not add one).
 */
export function containsText(column: AnyColumn, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}
