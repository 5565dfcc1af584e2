import { operation } from "../../lib/operation.ts";
import { errorIssuePage } from "../../services/errors/issues.ts";

export const listErrorIssues = operation("listErrorIssues", async (c, { params, query }) => {
  const page = await errorIssuePage(c.env, params.companyId, query);
  return { success: true, issues: page.items, next_cursor: page.nextCursor };
});
