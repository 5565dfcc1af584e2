// Operator alerts (services/operator-alerts.ts): raised by the five-minute check, listed and resolved
// by platform operators.
import type { Operation } from "../../lib/operation.ts";
import { listOperatorAlerts } from "./list-operator-alerts.ts";
import { resolveOperatorAlert } from "./resolve-operator-alert.ts";

export const operatorAlertsOperations: Operation[] = [listOperatorAlerts, resolveOperatorAlert];
