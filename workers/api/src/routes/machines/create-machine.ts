import { operation } from "../../lib/operation.ts";
import { addMachine } from "../../services/machines.ts";

export const createMachine = operation("createMachine", async (c, { params, body }) => ({
  success: true,
  machine: await addMachine(c, params.companyId, body),
}));
