import { routes } from "@nexus/contracts";
import { updateChannels } from "@nexus/db/central";
import { asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import { clearFeedCache } from "../../services/updates/feed.ts";
import { requireChannel } from "../../services/updates/releases.ts";

const { listChannels, createChannel } = routes;

const toChannelView = (row: typeof updateChannels.$inferSelect) => ({
  name: row.name,
  description: row.description,
  parent: row.parent,
  created_at: row.createdAt.toISOString(),
});

export const channelAdminRoutes = new Hono<AppEnv>()
  .get(honoPath(listChannels.path), async (c) => {
    const rows = await c.get("db").select().from(updateChannels).orderBy(asc(updateChannels.createdAt));
    return c.json({ success: true as const, channels: rows.map(toChannelView) });
  })
  .post(honoPath(createChannel.path), jsonBody(createChannel.body), async (c) => {
    const input = c.req.valid("json");
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
    return c.json({ success: true as const, channel: toChannelView(created ?? row) }, 201);
  });
