// A company's machines and what their telemetry roll-ups say (charts, fleet health, app adoption).
import type { Operation } from "../../lib/operation.ts";
import { appAdoption } from "./app-adoption.ts";
import { createMachine } from "./create-machine.ts";
import { deleteMachine } from "./delete-machine.ts";
import { fleetSummary } from "./fleet-summary.ts";
import { getMachine } from "./get-machine.ts";
import { listMachines } from "./list-machines.ts";
import { machineTelemetry } from "./machine-telemetry.ts";
import { updateMachine } from "./update-machine.ts";

export const machinesOperations: Operation[] = [
  listMachines,
  createMachine,
  getMachine,
  updateMachine,
  deleteMachine,
  machineTelemetry,
  fleetSummary,
  appAdoption,
];
