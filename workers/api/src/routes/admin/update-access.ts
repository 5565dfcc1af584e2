// Per company: the channels it may receive besides its own, and an optional pinned version.
import { routes } from "@nexus/contracts";
import { companies, companyUpdateAccess } from "@nexus/db/central";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, validParams } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import { getCompanyView } from "../../services/companies.ts";
import { companyChanged } from "../../services/hub.ts";
import { loadChannelTree } from "../../services/updates/channels.ts";

const { getUpdateAccess, setUpdateAccess } = routes;

async function accessView(c: Context<AppEnv>, companyId: string) {
  const company = await getCompanyView(c, companyId);
  const db = c.get("db");
  const [row] = await db
    .select({ pinned: companies.pinnedVersion })
    .from(companies)
    .where(eq(companies.id, companyId));
  const granted = await db
    .select({ channel: companyUpdateAccess.channel })
    .from(companyUpdateAccess)
    .where(eq(companyUpdateAccess.companyId, companyId));
  return {
    success: true as const,
    update_channel: company.update_channel,
    channels: [...new Set([company.update_channel, ...granted.map((g) => g.channel)])],
    pinned_version: row?.pinned ?? null,
  };
}

export const updateAccessAdminRoutes = new Hono<AppEnv>()
  .get(honoPath(getUpdateAccess.path), validParams(getUpdateAccess.params), async (c) => {
    return c.json(await accessView(c, c.req.valid("param").companyId));
  })
  .put(
    honoPath(setUpdateAccess.path),
    validParams(setUpdateAccess.params),
    jsonBody(setUpdateAccess.body),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const input = c.req.valid("json");
      await getCompanyView(c, companyId);
      const db = c.get("db");
      if (input.channels) {
        const tree = await loadChannelTree(db);
        const unknown = input.channels.filter((name) => !tree.has(name));
        if (unknown.length > 0) {
          throw new ApiError("CHANNEL_NOT_FOUND", `Unknown channel(s): ${unknown.join(", ")}.`, { unknown });
        }
      }
      const channels = input.channels ? [...new Set(input.channels)] : undefined;
      await db.batch([
        auditStatement(c, {
          companyId,
          action: "company.update_access_changed",
          targetType: "company",
          targetId: companyId,
          details: { changes: input },
        }),
        ...(channels
          ? [
              db.delete(companyUpdateAccess).where(eq(companyUpdateAccess.companyId, companyId)),
              ...channels.map((channel) => db.insert(companyUpdateAccess).values({ companyId, channel })),
            ]
          : []),
        db
          .update(companies)
          .set({ pinnedVersion: input.pinned_version, updatedAt: new Date() })
          .where(eq(companies.id, companyId)),
      ]);
      await companyChanged(c, companyId);
      return c.json(await accessView(c, companyId));
    },
  );
