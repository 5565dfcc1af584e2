// Companies as operators see and change them (services/company-admin.ts); members read their own.
import type { Operation } from "../../lib/operation.ts";
import { getCompany } from "./get-company.ts";
import { listCompanies } from "./list-companies.ts";
import { resumeCompany } from "./resume-company.ts";
import { suspendCompany } from "./suspend-company.ts";
import { updateCompany } from "./update-company.ts";
import { updateSettings } from "./update-settings.ts";

export const companiesOperations: Operation[] = [
  listCompanies,
  getCompany,
  updateCompany,
  updateSettings,
  suspendCompany,
  resumeCompany,
];
