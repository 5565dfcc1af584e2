// The channel tree: a channel's subscribers also receive its parent's releases (beta → stable).
import type { routes } from "@nexus/contracts";
import { updateChannels } from "@nexus/db/central";
import { asc, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv, CentralDb } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { auditStatement } from "../audit.ts";
import { clearFeedCache } from "./feed.ts";
import { requireChannel } from "./releases.ts";

export interface ChannelTree {
  /** The channel itself, then its parent, grandparent, … */
  chain(channel: string): string[];
  /** The channel and every channel whose chain contains it (who receives a release made on it). */
  receivers(channel: string): string[];
  has(channel: string): boolean;
}

export function channelTree(rows: { name: string; parent: string | null }[]): ChannelTree {
  const parents = new Map(rows.map((row) => [row.name, row.parent]));
  const chain = (channel: string): string[] => {
    const names: string[] = [];
    // The length bound stops a cycle an operator might have made by hand in SQL.
    for (let name: string | null | undefined = channel; name && names.length <= parents.size; ) {
      if (!parents.has(name) || names.includes(name)) break;
      names.push(name);
      name = parents.get(name);
    }
    return names;
  };
  return {
    chain,
    receivers: (channel) => [...parents.keys()].filter((name) => chain(name).includes(channel)),
    has: (channel) => parents.has(channel),
  };
}

export async function loadChannelTree(db: CentralDb): Promise<ChannelTree> {
  return channelTree(
    await db.select({ name: updateChannels.name, parent: updateChannels.parent }).from(updateChannels),
  );
}

export const toChannelView = (row: typeof updateChannels.$inferSelect) => ({
  name: row.name,
  description: row.description,
  parent: row.parent,
  created_at: row.createdAt.toISOString(),
});

/** Every channel, oldest first (the starting channels stable, beta, alpha lead). */
export function listChannelRows(db: CentralDb) {
  return db.select().from(updateChannels).orderBy(asc(updateChannels.createdAt));
}

/** Adds a channel below an existing parent (or none), audited; CHANNEL_EXISTS if the name is taken. */
export async function createChannelRow(
  c: Context<AppEnv>,
  input: z.output<typeof routes.createChannel.body>,
): Promise<typeof updateChannels.$inferSelect> {
  const db = c.get("db");
  if (input.parent) await requireChannel(db, input.parent);
  const inserted = await db.batch([
    db
      .insert(updateChannels)
      .values({ name: input.name, description: input.description ?? null, parent: input.parent })
      .onConflictDoNothing()
      .returning(),
    auditStatement(c, {
      companyId: null,
      action: "channel.created",
      targetType: "channel",
      targetId: input.name,
      details: { parent: input.parent },
    }),
  ]);
  const [row] = inserted[0];
  if (!row) {
    throw new ApiError("CHANNEL_EXISTS", `The channel "${input.name}" already exists.`);
  }
  clearFeedCache();
  const [created] = await db.select().from(updateChannels).where(eq(updateChannels.name, row.name));
  return created ?? row;
}
