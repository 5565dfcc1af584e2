// INSERT … SELECT of one row whose values are mostly constants, for inserts that take a value from
// another table (the project counter) or happen only under a condition checked in the same statement
// (the previous statement's changes(), the storage quota). Drizzle's insert-select builder needs a
// FROM clause and every column selected; this fills the columns in the table's own order, encoding
// each value as its column does, so a row stays typed by the schema.
import { Column, getTableColumns, is, SQL, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/** A row to insert; a value may also be SQL or another table's column (read by `rest`'s FROM). */
export type SelectedRow<T extends SQLiteTable> = {
  [K in keyof T["$inferInsert"]]: T["$inferInsert"][K] | SQL | Column;
};

/** `INSERT INTO table (…every column) SELECT …the row's values <rest>`, rest being FROM/WHERE. */
export function insertSelect<T extends SQLiteTable>(
  orm: DrizzleD1Database<Record<string, never>>,
  table: T,
  row: SelectedRow<T>,
  rest: SQL,
) {
  const values: Record<string, unknown> = row;
  const selected = Object.entries(getTableColumns(table))
    // Generated columns are left out of drizzle's column list, so out of the values too.
    .filter(([, column]) => column.generated === undefined)
    .map(([key, column]) => {
      const value = values[key];
      if (is(value, SQL) || is(value, Column)) return value;
      if (value !== undefined) return sql.param(value, column);
      if (is(column.default, SQL)) return column.default;
      return column.default === undefined ? sql`NULL` : sql.param(column.default, column);
    });
  return orm.insert(table).select(sql`SELECT ${sql.join(selected, sql`, `)} ${rest}`);
}
