// A company's installations: listed, deactivated (freeing the seat), or their binding reset
// (services/installation-admin.ts).
import type { Operation } from "../../lib/operation.ts";
import { deactivateInstallation } from "./deactivate-installation.ts";
import { listInstallations } from "./list-installations.ts";
import { resetInstallationBinding } from "./reset-installation-binding.ts";

export const installationsOperations: Operation[] = [
  listInstallations,
  deactivateInstallation,
  resetInstallationBinding,
];
