// The drizzle view of a D1 database (central or tenant: the tables come from @nexus/db/central and
// @nexus/db/tenant), and a batch of a statement list built at run time. Errors are shown with
// errorText from @nexus/db.

import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";

export const orm = (db: D1Database) => drizzle(db);
export type Orm = ReturnType<typeof orm>;
export type Statement = BatchItem<"sqlite">;

/** Runs `statements` in one D1 batch (one transaction); nothing to do for an empty list. */
export async function batchAll(db: Orm, statements: Statement[]): Promise<void> {
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}
