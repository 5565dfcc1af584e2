import { operation } from "../../lib/operation.ts";
import { listChannelRows, toChannelView } from "../../services/updates/channels.ts";

export const listChannels = operation("listChannels", async (c) => ({
  success: true,
  channels: (await listChannelRows(c.get("db"))).map(toChannelView),
}));
