import { operation } from "../../lib/operation.ts";
import { createOperatorUser } from "../../services/operators.ts";

export const createOperator = operation("createOperator", async (c, { body }) => ({
  success: true,
  operator: await createOperatorUser(c, body),
}));
