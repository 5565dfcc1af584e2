// Showrooms and who works in them, in the company's tenant database.
import { routes, type Showroom } from "@nexus/contracts";
import { showroomMembers, showrooms } from "@nexus/db/tenant";
import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, validParams } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import { requireMembers } from "../../services/crm/members.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

const { listShowrooms, createShowroom, updateShowroom } = routes;

async function showroomViews(db: D1Database, id?: string): Promise<Showroom[]> {
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

// A showroom's logo may be an inline image of up to 64 KiB (contracts/logo.ts), as in company settings.
const SHOWROOM_BODY_LIMIT = 256 * 1024;

export const showroomAdminRoutes = new Hono<AppEnv>()
  .get(honoPath(listShowrooms.path), validParams(listShowrooms.params), async (c) => {
    const { companyId } = c.req.valid("param");
    const db = await tenantDatabase(c.env, companyId);
    return c.json({ success: true as const, showrooms: await showroomViews(db) });
  })
  .post(
    honoPath(createShowroom.path),
    validParams(createShowroom.params),
    jsonBody(createShowroom.body, SHOWROOM_BODY_LIMIT),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const input = c.req.valid("json");
      await requireMembers(c.get("db"), companyId, input.member_ids);
      const db = await tenantDatabase(c.env, companyId);
      const id = newId();
      const orm = drizzle(db);
      await orm.batch([
        orm.insert(showrooms).values({
          id,
          name: input.name,
          type: input.type,
          address: input.address,
          settings: input.settings,
          branding: input.branding,
        }),
        ...memberQueries(db, id, input.member_ids),
      ]);
      await auditStatement(c, {
        companyId,
        action: "showroom.created",
        targetType: "showroom",
        targetId: id,
        details: { name: input.name },
      });
      const [showroom] = await showroomViews(db, id);
      return c.json({ success: true as const, showroom }, 201);
    },
  )
  .patch(
    honoPath(updateShowroom.path),
    validParams(updateShowroom.params),
    jsonBody(updateShowroom.body, SHOWROOM_BODY_LIMIT),
    async (c) => {
      const { companyId, showroomId } = c.req.valid("param");
      const input = c.req.valid("json");
      const db = await tenantDatabase(c.env, companyId);
      const [existing] = await showroomViews(db, showroomId);
      if (!existing) throw new ApiError("NOT_FOUND", `This company has no showroom ${showroomId}.`);
      if (input.member_ids) await requireMembers(c.get("db"), companyId, input.member_ids);
      const orm = drizzle(db);
      await orm.batch([
        orm
          .update(showrooms)
          .set({
            name: input.name,
            type: input.type,
            address: input.address,
            settings: input.settings,
            branding: input.branding,
            updatedAt: Date.now(),
          })
          .where(eq(showrooms.id, showroomId)),
        ...(input.member_ids ? memberQueries(db, showroomId, input.member_ids) : []),
      ]);
      await auditStatement(c, {
        companyId,
        action: "showroom.updated",
        targetType: "showroom",
        targetId: showroomId,
        details: { changes: input },
      });
      const [showroom] = await showroomViews(db, showroomId);
      return c.json({ success: true as const, showroom });
    },
  );
