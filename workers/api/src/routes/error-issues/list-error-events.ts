import { operation } from "../../lib/operation.ts";
import { errorEventPage } from "../../services/errors/issues.ts";

export const listErrorEvents = operation("listErrorEvents", async (c, { params, query }) => {
  const page = await errorEventPage(c.env, params.companyId, params.issueId, query);
  return { success: true, events: page.items, next_cursor: page.nextCursor };
});
