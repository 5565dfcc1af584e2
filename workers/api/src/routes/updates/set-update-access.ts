import { operation } from "../../lib/operation.ts";
import { accessView, setAccess } from "../../services/updates/access.ts";

export const setUpdateAccess = operation("setUpdateAccess", async (c, { params, body }) => {
  await setAccess(c, params.companyId, body);
  return accessView(c, params.companyId);
});
