import { operation } from "../../lib/operation.ts";
import { changeErrorIssue, toErrorIssueView } from "../../services/errors/issues.ts";

export const updateErrorIssue = operation("updateErrorIssue", async (c, { params, body }) => ({
  success: true,
  issue: toErrorIssueView(await changeErrorIssue(c, params.companyId, params.issueId, body)),
}));
