import { operation } from "../../lib/operation.ts";
import { accessView } from "../../services/updates/access.ts";

export const getUpdateAccess = operation("getUpdateAccess", (c, { params }) =>
  accessView(c, params.companyId),
);
