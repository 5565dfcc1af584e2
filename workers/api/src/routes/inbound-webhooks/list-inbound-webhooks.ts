import { operation } from "../../lib/operation.ts";
import { inboundEventPage, toInboundEventView } from "../../services/inbound-webhooks.ts";

export const listInboundWebhooks = operation("listInboundWebhooks", async (c, { query }) => {
  const { limit, cursor, ...filters } = query;
  const page = await inboundEventPage(c.get("db"), { limit, cursor }, filters);
  return { success: true, events: page.items.map(toInboundEventView), next_cursor: page.nextCursor };
});
