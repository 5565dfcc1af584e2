import { operation } from "../../lib/operation.ts";
import { removeMachine } from "../../services/machines.ts";

export const deleteMachine = operation("deleteMachine", async (c, { params }) => ({
  success: true,
  machine: await removeMachine(c, params.companyId, params.machineId),
}));
