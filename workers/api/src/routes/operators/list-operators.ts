import { operation } from "../../lib/operation.ts";
import { operatorList } from "../../services/operators.ts";

export const listOperators = operation("listOperators", async (c) => ({
  success: true,
  operators: await operatorList(c.get("db")),
}));
