import { operation } from "../../lib/operation.ts";
import { createChannelRow, toChannelView } from "../../services/updates/channels.ts";

export const createChannel = operation("createChannel", async (c, { body }) => ({
  success: true,
  channel: toChannelView(await createChannelRow(c, body)),
}));
