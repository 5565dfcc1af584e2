import { operation } from "../../lib/operation.ts";
import { operatorAlertPage, toOperatorAlert } from "../../services/operator-alerts.ts";

export const listOperatorAlerts = operation("listOperatorAlerts", async (c, { query }) => {
  const { limit, cursor, ...filters } = query;
  const page = await operatorAlertPage(c.get("db"), { limit, cursor }, filters);
  return { success: true, alerts: page.items.map(toOperatorAlert), next_cursor: page.nextCursor };
});
