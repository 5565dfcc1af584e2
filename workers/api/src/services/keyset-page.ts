// Paging for the error lists, which are ordered by a number (last seen, times seen, received at)
// rather than by a time-ordered id, so services/list-page.ts's "id below the cursor" cannot page
// them: the cursor here is the last row's `<number>.<id>`, and the next page starts strictly after
// it in (number desc, id desc) order, stable under ties.
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { ApiError } from "../lib/errors.ts";
import type { Page } from "./list-page.ts";

export interface KeysetRequest {
  cursor?: string | undefined;
  limit: number;
}

interface Cursor {
  value: number;
  id: string;
}

function parseCursor(cursor: string): Cursor {
  const match = /^(-?\d{1,16})\.([\w-]{1,64})$/.exec(cursor);
  if (!match?.[1] || !match[2]) {
    throw new ApiError(
      "VALIDATION_FAILED",
      "Invalid cursor: pass back the `next_cursor` of the previous page unchanged.",
      { issues: [{ path: "cursor", message: "Not a cursor of this list" }] },
    );
  }
  return { value: Number(match[1]), id: match[2] };
}

/**
 * Runs `select` with the filters, the cursor's condition, the (value desc, id desc) order and one
 * row more than asked, and returns the page with the cursor of the next one.
 */
export async function keysetPage<T>(
  page: KeysetRequest,
  columns: { value: SQLiteColumn; id: SQLiteColumn },
  filters: (SQL | undefined)[],
  select: (query: { where: SQL | undefined; orderBy: SQL[]; limit: number }) => Promise<T[]>,
  keyOf: (row: T) => Cursor,
): Promise<Page<T>> {
  const after = page.cursor ? parseCursor(page.cursor) : undefined;
  const rows = await select({
    where: and(
      after
        ? or(lt(columns.value, after.value), and(eq(columns.value, after.value), lt(columns.id, after.id)))
        : undefined,
      ...filters,
    ),
    orderBy: [desc(columns.value), desc(columns.id)],
    limit: page.limit + 1,
  });
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  if (rows.length <= page.limit || !last) return { items, nextCursor: null };
  const key = keyOf(last);
  return { items, nextCursor: `${key.value}.${key.id}` };
}
