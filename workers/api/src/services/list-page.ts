// The one way a list is paged: newest first by a time-ordered (UUIDv7) id, `limit` rows after the
// cursor (the last id of the previous page) that match the filters, and the cursor of the next page.
import { and, desc, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

export interface PageRequest {
  /** The last id of the previous page; absent for the first page. */
  cursor?: string | undefined;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * Runs `select` with the page's where clause (the filters, undefined ones skipped, and the cursor),
 * ordering and a limit of one more row than asked (to learn whether there is a next page).
 */
export async function listPage<T>(
  page: PageRequest,
  id: SQLiteColumn,
  filters: (SQL | undefined)[],
  select: (query: { where: SQL | undefined; orderBy: SQL; limit: number }) => Promise<T[]>,
  idOf: (row: T) => string,
): Promise<Page<T>> {
  const rows = await select({
    where: and(page.cursor ? lt(id, page.cursor) : undefined, ...filters),
    orderBy: desc(id),
    limit: page.limit + 1,
  });
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? idOf(last) : null };
}
