// Per company: the channels it may receive besides its own, and an optional pinned version.
import type { routes } from "@nexus/contracts";
import { companies, companyUpdateAccess, releases } from "@nexus/db/central";
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv, CentralDb } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { auditStatement } from "../audit.ts";
import { getCompanyView } from "../companies.ts";
import { companyChanged } from "../hub.ts";
import { loadChannelTree } from "./channels.ts";
import { filesOf, toReleaseView } from "./releases.ts";

/** Enough to show a company's recent history; older releases are not offered to anyone anyway. */
const COMPANY_RELEASE_LIMIT = 50;

export async function accessView(c: Context<AppEnv>, companyId: string) {
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

/** Replaces the granted channels (when given) and sets or clears the pin, audited; the hub reloads. */
export async function setAccess(
  c: Context<AppEnv>,
  companyId: string,
  input: z.output<(typeof routes)["setUpdateAccess"]["body"]>,
): Promise<void> {
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
}

/** The newest releases (not drafts) on `channels`, with their files. */
export async function releasesOn(db: CentralDb, channels: string[]) {
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
  return rows.map((row) => toReleaseView(row, files.get(row.id) ?? []));
}
