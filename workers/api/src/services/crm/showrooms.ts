// Showrooms and who works in them, in the company's tenant database.
import type { Showroom } from "@nexus/contracts";
import { showroomMembers, showrooms } from "@nexus/db/tenant";
import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { newId } from "../../lib/ids.ts";

// A showroom's logo may be an inline image of up to 64 KiB (contracts/logo.ts), as in company settings.
export const SHOWROOM_BODY_LIMIT = 256 * 1024;

/** A showroom as the routes take it: its fields and `member_ids`, who works there. */
type ShowroomInput = Pick<
  typeof showrooms.$inferInsert,
  "name" | "type" | "address" | "settings" | "branding"
> & {
  member_ids: string[];
};

export async function showroomViews(db: D1Database, id?: string): Promise<Showroom[]> {
  const orm = drizzle(db);
  const rows = await orm
    .select()
    .from(showrooms)
    .where(id ? eq(showrooms.id, id) : undefined)
    .orderBy(asc(showrooms.name));
  const members = await orm.select().from(showroomMembers);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    type: row.type,
    address: row.address,
    settings: row.settings,
    branding: row.branding,
    member_ids: members.filter((m) => m.showroomId === row.id).map((m) => m.userId),
    created_at: new Date(row.createdAt).toISOString(),
    updated_at: new Date(row.updatedAt).toISOString(),
  }));
}

/** Replaces who works in a showroom (as drizzle queries, for a batch with the showroom's change). */
function memberQueries(db: D1Database, showroomId: string, userIds: string[]) {
  const orm = drizzle(db);
  const unique = [...new Set(userIds)];
  return [
    orm.delete(showroomMembers).where(eq(showroomMembers.showroomId, showroomId)),
    ...(unique.length > 0
      ? [orm.insert(showroomMembers).values(unique.map((userId) => ({ showroomId, userId })))]
      : []),
  ];
}

/** Adds a showroom with its members in one batch; returns its id. */
export async function insertShowroom(db: D1Database, input: ShowroomInput): Promise<string> {
  const id = newId();
  const orm = drizzle(db);
  const { member_ids, ...showroom } = input;
  await orm.batch([orm.insert(showrooms).values({ id, ...showroom }), ...memberQueries(db, id, member_ids)]);
  return id;
}

/** Changes the fields given (undefined ones stay) and, when `member_ids` is given, who works there. */
export async function changeShowroom(
  db: D1Database,
  id: string,
  input: { [K in keyof ShowroomInput]?: ShowroomInput[K] | undefined },
): Promise<void> {
  const orm = drizzle(db);
  const { member_ids, ...showroom } = input;
  await orm.batch([
    orm
      .update(showrooms)
      .set({ ...showroom, updatedAt: Date.now() })
      .where(eq(showrooms.id, id)),
    ...(member_ids ? memberQueries(db, id, member_ids) : []),
  ]);
}
