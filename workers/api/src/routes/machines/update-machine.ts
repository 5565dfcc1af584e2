import { operation } from "../../lib/operation.ts";
import { changeMachine } from "../../services/machines.ts";

export const updateMachine = operation("updateMachine", async (c, { params, body }) => ({
  success: true,
  machine: await changeMachine(c, params.companyId, params.machineId, body),
}));
