// POST /api/webhooks/{provider}: the access guard verified the signature over the raw body; here the
// event is kept with its processing state, enqueued, and answered. The work (e.g. Stripe billing)
// happens in the `nexus-events` consumer (workers/consumers), so the sender gets its 200 in
// milliseconds and a slow step never makes it time out and resend.
import { operation } from "../../lib/operation.ts";
import { receiveInbound } from "../../services/inbound-webhooks.ts";

export const receiveWebhook = operation("receiveWebhook", async (c, { params, caller }) => {
  const { verified, body } = caller;
  const receipt = await receiveInbound(c.get("db"), c.env.EVENTS_QUEUE, params.provider, verified, body);
  return { success: true, event_id: verified.eventId, ...receipt };
});
