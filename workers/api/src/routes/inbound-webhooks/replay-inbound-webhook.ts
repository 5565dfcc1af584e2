import { operation } from "../../lib/operation.ts";
import { replayInboundEvent, toInboundEventView } from "../../services/inbound-webhooks.ts";

export const replayInboundWebhook = operation("replayInboundWebhook", async (c, { params }) => ({
  success: true,
  event: toInboundEventView(await replayInboundEvent(c, params.id)),
}));
