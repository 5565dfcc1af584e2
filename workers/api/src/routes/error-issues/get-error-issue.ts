import { operation } from "../../lib/operation.ts";
import { errorIssueDetail } from "../../services/errors/issue-detail.ts";

export const getErrorIssue = operation("getErrorIssue", async (c, { params }) =>
  errorIssueDetail(c.env, params.companyId, params.issueId),
);
