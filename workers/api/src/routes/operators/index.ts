// Platform operators (dashboard users with the admin role), and the mail outbox they read locally.
import type { Operation } from "../../lib/operation.ts";
import { createOperator } from "./create-operator.ts";
import { listOperators } from "./list-operators.ts";
import { mailOutbox } from "./mail-outbox.ts";

export const operatorsOperations: Operation[] = [listOperators, createOperator, mailOutbox];
