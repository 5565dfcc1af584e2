// Daily housekeeping of app error tracking. In every tenant database: events and hourly issue counts
// older than ERROR_EVENT_RETENTION_DAYS (issues, their totals, releases and users stay). In the ERRORS
// bucket: the raw envelopes older than ERROR_RAW_RETENTION_DAYS, found by their day folder
// (`companies/<companyId>/errors/raw/<YYYY-MM-DD>/`) without reading any object. Both are bounded per
// run; what is left is taken the next day.
import { errorBatches, errorEvents, errorIssueHours } from "@nexus/db/tenant";
import { lt, sql } from "drizzle-orm";
import { forEachTenant } from "../tenant-walk.ts";

const DAY_MS = 86_400_000;
/** Applied-message marks outlive any queue retry (5 retries, at most minutes apart) by days. */
const MARK_RETENTION_MS = 8 * DAY_MS;
/** Rows deleted per statement, and statements per tenant database and run. */
const ROWS_PER_DELETE = 5000;
const DELETES_PER_TENANT = 20;
/** R2 calls (lists and deletes of up to 1,000 keys) per run. */
const R2_CALLS_PER_RUN = 400;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface ErrorRetentionEnv {
  CENTRAL_DB: D1Database;
  ERRORS: R2Bucket;
}

async function purgeTenantRows(
  db: Parameters<Parameters<typeof forEachTenant>[2]>[0],
  cutoff: number,
  now: number,
): Promise<number> {
  const marks = await db.delete(errorBatches).where(lt(errorBatches.processedAt, now - MARK_RETENTION_MS));
  let deleted = marks.meta.changes;
  for (let i = 0; i < DELETES_PER_TENANT; i++) {
    // A bounded delete (D1 limits a query's run time): drizzle's delete has no LIMIT, so the rows are
    // picked by rowid in a raw SQL subquery.
    const [events, hours] = await db.batch([
      db
        .delete(errorEvents)
        .where(
          sql`rowid IN (SELECT rowid FROM ${errorEvents} WHERE ${lt(errorEvents.receivedAt, cutoff)} LIMIT ${ROWS_PER_DELETE})`,
        ),
      db
        .delete(errorIssueHours)
        .where(
          sql`rowid IN (SELECT rowid FROM ${errorIssueHours} WHERE ${lt(errorIssueHours.hour, cutoff)} LIMIT ${ROWS_PER_DELETE})`,
        ),
    ]);
    const changed = events.meta.changes + hours.meta.changes;
    deleted += changed;
    if (events.meta.changes < ROWS_PER_DELETE && hours.meta.changes < ROWS_PER_DELETE) break;
  }
  return deleted;
}

/** Deletes raw envelopes in day folders before `cutoffDay`, within the run's budget of R2 calls. */
export async function purgeRawEnvelopes(bucket: R2Bucket, cutoffDay: string): Promise<number> {
  let calls = 0;
  let deleted = 0;
  const companies: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: "companies/", delimiter: "/", cursor });
    calls += 1;
    companies.push(...page.delimitedPrefixes);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor && calls < R2_CALLS_PER_RUN);
  for (const company of companies) {
    if (calls >= R2_CALLS_PER_RUN) break;
    const days = await bucket.list({ prefix: `${company}errors/raw/`, delimiter: "/" });
    calls += 1;
    // Day folders sort by date; only those before the cutoff day go.
    const old = days.delimitedPrefixes.filter((prefix) => (prefix.split("/").at(-2) ?? "") < cutoffDay);
    for (const prefix of old) {
      let more = true;
      while (more && calls + 2 <= R2_CALLS_PER_RUN) {
        const page = await bucket.list({ prefix, limit: 1000 });
        calls += 1;
        const keys = page.objects.map((object) => object.key);
        if (keys.length > 0) {
          await bucket.delete(keys);
          calls += 1;
          deleted += keys.length;
        }
        more = page.truncated;
      }
    }
  }
  return deleted;
}

export async function purgeOldErrors(
  env: ErrorRetentionEnv,
  settings: { eventDays: number; rawDays: number },
  now = Date.now(),
): Promise<{ companies: number; failed: number; rows: number; rawObjects: number }> {
  const cutoff = now - settings.eventDays * DAY_MS;
  let rows = 0;
  const walk = await forEachTenant(env, "errors_purge", async (db) => {
    rows += await purgeTenantRows(db, cutoff, now);
  });
  const rawObjects = await purgeRawEnvelopes(env.ERRORS, dayOf(now - settings.rawDays * DAY_MS));
  return { ...walk, rows, rawObjects };
}
