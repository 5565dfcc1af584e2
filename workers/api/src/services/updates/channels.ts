// The channel tree: a channel's subscribers also receive its parent's releases (beta → stable).
import { type ChannelTree, channelTree, type routes } from "@nexus/contracts";
import { updateChannels } from "@nexus/db/central";
import { asc, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv, CentralDb } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { auditStatement } from "../audit.ts";
import { clearFeedCache } from "./feed.ts";
import { requireChannel } from "./releases.ts";

// The tree's rules are shared with workers/consumers (the automatic halt fans out like a manual one).
export { type ChannelTree, channelTree } from "@nexus/contracts";

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
