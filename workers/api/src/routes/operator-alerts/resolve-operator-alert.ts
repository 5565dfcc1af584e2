import { operation } from "../../lib/operation.ts";
import { resolveOperatorAlert as resolve, toOperatorAlert } from "../../services/operator-alerts.ts";

export const resolveOperatorAlert = operation("resolveOperatorAlert", async (c, { params }) => {
  const row = await resolve(c.get("db"), params.alertId);
  return { success: true, alert: toOperatorAlert(row) };
});
