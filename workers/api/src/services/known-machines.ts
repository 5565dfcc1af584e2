// Which machine ids a company has, cached per isolate so ingest answers "unknown machine" without a
// tenant read on every batch. A sample naming an id the cache does not know triggers a fresh read (at
// most once per few seconds), so a machine created a moment ago is accepted at once; a deleted one is
// dropped by workers/consumers, which never writes roll-ups for machines that do not exist.
import { machines } from "@nexus/db/tenant";
import { drizzle } from "drizzle-orm/d1";

const FRESH_MS = 60_000;
const REREAD_AFTER_MS = 5_000;

const cache = new Map<string, { ids: Set<string>; at: number }>();

async function readIds(db: D1Database): Promise<Set<string>> {
  const rows = await drizzle(db).select({ id: machines.id }).from(machines);
  return new Set(rows.map((row) => row.id));
}

/** The subset of `ids` that are machines of the company. */
export async function knownMachines(
  companyId: string,
  db: D1Database,
  ids: Iterable<string>,
  now = Date.now(),
): Promise<Set<string>> {
  const wanted = [...new Set(ids)];
  let entry = cache.get(companyId);
  const missing = entry ? wanted.some((id) => !entry?.ids.has(id)) : true;
  const stale = !entry || now - entry.at > FRESH_MS || (missing && now - entry.at > REREAD_AFTER_MS);
  if (stale) {
    entry = { ids: await readIds(db), at: now };
    cache.set(companyId, entry);
  }
  const known = entry?.ids ?? new Set<string>();
  return new Set(wanted.filter((id) => known.has(id)));
}

/** After a machine is created or deleted in this isolate. */
export function forgetKnownMachines(companyId: string): void {
  cache.delete(companyId);
}
