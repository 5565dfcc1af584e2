// Per company: the channels it may receive besides its own, and an optional pinned version.
import { routes } from "@nexus/contracts";
import { companies, companyUpdateAccess, releases } from "@nexus/db/central";
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, validParams, validQuery } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import { getCompanyView } from "../../services/companies.ts";
import { companyChanged } from "../../services/hub.ts";
import { loadChannelTree } from "../../services/updates/channels.ts";
import { filesOf, toReleaseView } from "../../services/updates/releases.ts";
import { queryUpdateStats } from "../../services/updates/stats.ts";

const { getUpdateAccess, setUpdateAccess, listCompanyReleases } = routes;

/** Enough to show a company's recent history; older releases are not offered to anyone anyway. */
const COMPANY_RELEASE_LIMIT = 50;
const DAY_MS = 86_400_000;

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
  .get(
    honoPath(listCompanyReleases.path),
    validParams(listCompanyReleases.params),
    validQuery(listCompanyReleases.query),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const { days } = c.req.valid("query");
      const access = await accessView(c, companyId);
      const db = c.get("db");
      const tree = await loadChannelTree(db);
      // A channel's subscribers also receive its parents' releases (beta → stable).
      const channels = [...new Set(access.channels.flatMap((channel) => tree.chain(channel)))];
      const rows = await db
        .select()
        .from(releases)
        .where(and(inArray(releases.channel, channels), ne(releases.status, "draft")))
        .orderBy(desc(releases.publishedAt))
        .limit(COMPANY_RELEASE_LIMIT);
      const files = await filesOf(
        db,
        rows.map((row) => row.id),
      );
      const from = new Date(Date.now() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
      return c.json({
        success: true as const,
        update_channel: access.update_channel,
        granted_channels: access.channels.filter((channel) => channel !== access.update_channel),
        channels,
        pinned_version: access.pinned_version,
        releases: rows.map((row) => toReleaseView(row, files.get(row.id) ?? [])),
        stats: await queryUpdateStats(db, { company_id: companyId, from }),
      });
    },
  )
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
