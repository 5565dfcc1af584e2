// One query across the company's records, limited to what the caller may read, logged once.
import { newId } from "../../lib/ids.ts";
import { operation } from "../../lib/operation.ts";
import { searchIndex } from "../../services/search/query.ts";
import { logSearch } from "../../services/search/query-log.ts";
import { searchVisibility } from "../../services/search/visibility.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const searchCompany = operation("searchCompany", async (c, { params, body, caller }) => {
  const started = performance.now();
  const { companyId } = params;
  const db = await tenantDatabase(c.env, companyId);
  const result = await searchIndex(db, body, await searchVisibility(c, caller, companyId));
  const tookMs = Math.round((performance.now() - started) * 100) / 100;
  const queryId = newId();
  c.executionCtx.waitUntil(
    logSearch(c.env, c.get("db"), db, {
      id: queryId,
      companyId,
      query: result.query,
      types: body.types ?? null,
      filters: body.filters ?? null,
      resultCount: result.total,
      latencyMs: tookMs,
      actor: c.get("actor"),
    }),
  );
  return {
    success: true,
    query_id: queryId,
    query: result.query,
    total: result.total,
    hits: result.hits,
    facets: result.facets,
    suggestion: result.suggestion,
    corrections: result.corrections,
    next_cursor: result.nextCursor,
    took_ms: tookMs,
  };
});
