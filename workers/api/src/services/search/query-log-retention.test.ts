import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { registerCompany } from "../../../test/helpers.ts";
import { loggedQuery, logSearchQueries } from "../../../test/search-queries.ts";
import { purgeSearchQueries, SEARCH_QUERY_RETENTION_MS } from "./query-log-retention.ts";

describe("the daily query log purge", () => {
  it("deletes queries older than 90 days and keeps the rest", async () => {
    const { company_id: companyId } = await registerCompany();
    const now = Date.now();
    const [old, recent] = await logSearchQueries(companyId, [
      { query: "old", createdAt: now - SEARCH_QUERY_RETENTION_MS - 1000 },
      { query: "recent", createdAt: now - SEARCH_QUERY_RETENTION_MS + 60_000 },
    ]);
    if (!old || !recent) throw new Error("the queries were not logged");
    const result = await purgeSearchQueries(env, now);
    expect(result.failed).toBe(0);
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect(await loggedQuery(companyId, old.id)).toBeUndefined();
    expect((await loggedQuery(companyId, recent.id))?.query).toBe("recent");
  });
});
