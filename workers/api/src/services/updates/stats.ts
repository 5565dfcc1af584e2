// Update checks and downloads per company, release and day (written by the feed), as the admin
// routes report them.
import { releases, updateStats } from "@nexus/db/central";
import { and, desc, eq, gte, lte } from "drizzle-orm";
import type { CentralDb } from "../../env.ts";

/** Beyond this many rows a caller should narrow the range or the company. */
const STATS_ROW_LIMIT = 1000;

export function queryUpdateStats(
  db: CentralDb,
  filter: {
    company_id?: string | undefined;
    release_id?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
) {
  return db
    .select({
      company_id: updateStats.companyId,
      release_id: updateStats.releaseId,
      version: releases.version,
      day: updateStats.day,
      checks: updateStats.checks,
      downloads: updateStats.downloads,
      range_requests: updateStats.rangeRequests,
    })
    .from(updateStats)
    .innerJoin(releases, eq(releases.id, updateStats.releaseId))
    .where(
      and(
        filter.company_id ? eq(updateStats.companyId, filter.company_id) : undefined,
        filter.release_id ? eq(updateStats.releaseId, filter.release_id) : undefined,
        filter.from ? gte(updateStats.day, filter.from) : undefined,
        filter.to ? lte(updateStats.day, filter.to) : undefined,
      ),
    )
    .orderBy(desc(updateStats.day))
    .limit(STATS_ROW_LIMIT);
}
