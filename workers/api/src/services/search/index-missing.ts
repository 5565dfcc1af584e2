// A dropped index (operators drop the FTS5 tables so `wrangler d1 export` can run) answers 409
// with the way back, rather than a 500. Recognised from D1's error, so a search costs no extra
// query to check first.
import { ApiError } from "../../lib/errors.ts";

const MISSING = /no such (table|fts5 table): (main\.)?search_(fts|trigram|vocab)\b/i;

export function searchIndexMissingError(): ApiError {
  return new ApiError(
    "SEARCH_INDEX_MISSING",
    "This company's search index was dropped (for a database export). An operator rebuilds it with `nexus search rebuild --company <id>` (or POST …/search/index/rebuild).",
  );
}

export async function withSearchIndex<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Error && MISSING.test(`${error.message} ${String(error.cause ?? "")}`)) {
      throw searchIndexMissingError();
    }
    throw error;
  }
}
