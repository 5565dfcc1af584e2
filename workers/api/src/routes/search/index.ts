// Federated search: the query, click reports and the query report; the operators' index commands.
import type { Operation } from "../../lib/operation.ts";
import { dropSearchIndex } from "./drop-search-index.ts";
import { getSearchIndex } from "./get-search-index.ts";
import { getSearchReport } from "./get-search-report.ts";
import { rebuildSearchIndex } from "./rebuild-search-index.ts";
import { reportSearchClick } from "./report-search-click.ts";
import { searchCompany } from "./search-company.ts";

export const searchOperations: Operation[] = [
  searchCompany,
  reportSearchClick,
  getSearchReport,
  getSearchIndex,
  rebuildSearchIndex,
  dropSearchIndex,
];
