import { adminErrors, define } from "../shared/route-contract.ts";
import {
  OperatorAlertItemSchema,
  OperatorAlertListQuerySchema,
  OperatorAlertListSchema,
  OperatorAlertParamsSchema,
} from "./schemas.ts";

export const operatorAlertRoutes = {
  listOperatorAlerts: define({
    method: "get",
    path: "/api/admin/operator-alerts",
    summary: "List alerts raised for platform operators, newest first",
    tag: "operator",
    auth: "operator",
    query: OperatorAlertListQuerySchema,
    status: 200,
    response: OperatorAlertListSchema,
    errors: [...adminErrors, "FORBIDDEN", "VALIDATION_FAILED"],
  }),
  resolveOperatorAlert: define({
    method: "post",
    path: "/api/admin/operator-alerts/{alertId}/resolve",
    summary: "Mark an open alert resolved (a condition that still holds raises a new one at the next check)",
    tag: "operator",
    auth: "operator",
    params: OperatorAlertParamsSchema,
    status: 200,
    response: OperatorAlertItemSchema,
    errors: [...adminErrors, "FORBIDDEN", "NOT_FOUND"],
  }),
};
