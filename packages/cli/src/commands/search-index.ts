// `nexus search status|rebuild|drop`: the operators' commands for companies' search indexes
// (docs/search.md). A D1 export refuses virtual tables, so a backup is `drop` → `wrangler d1 export`
// → `rebuild`, and a restore is followed by `rebuild`.
import { CompanyListSchema, routes, SearchIndexStatusSchema } from "@nexus/contracts";
import { CliError } from "../errors.ts";
import type { Fetch, TextSink } from "../io.ts";
import { NexusApiError, type NexusApiOptions, parseAnswer, requestJson, routePath } from "../nexus-api.ts";

export const SEARCH_INDEX_ACTIONS = ["status", "rebuild", "drop"] as const;
export type SearchIndexAction = (typeof SEARCH_INDEX_ACTIONS)[number];

// Derived from the schema (zod itself is a dependency of @nexus/contracts, not of the CLI).
export type SearchIndexStatus = ReturnType<typeof SearchIndexStatusSchema.parse>;

export interface SearchIndexOptions {
  baseUrl: string;
  adminSecret: string;
  action: SearchIndexAction;
  /** One company, or every company when undefined. */
  companyId: string | undefined;
  json?: boolean;
}

export interface SearchIndexDeps {
  fetch: Fetch;
  stdout: TextSink;
}

/** Errors that mean the company has no index here (its data lives elsewhere, or it never finished). */
const NO_INDEX = new Set(["TENANT_DATABASE_EXTERNAL", "COMPANY_NOT_FOUND"]);

async function indexCommand(
  api: NexusApiOptions,
  action: SearchIndexAction,
  companyId: string,
): Promise<SearchIndexStatus> {
  const route =
    action === "status"
      ? routes.getSearchIndex
      : action === "rebuild"
        ? routes.rebuildSearchIndex
        : routes.dropSearchIndex;
  const path = routePath(route.path, { companyId });
  return parseAnswer(SearchIndexStatusSchema, await requestJson(api, route.method, path), route.path);
}

/** Every company (id and where its data lives), page by page. */
async function allCompanies(api: NexusApiOptions): Promise<{ id: string; ownDatabase: boolean }[]> {
  const route = routes.listCompanies;
  const ids: { id: string; ownDatabase: boolean }[] = [];
  let cursor: string | undefined;
  do {
    const body = await requestJson(api, route.method, route.path, { query: { limit: "200", cursor } });
    const page = parseAnswer(CompanyListSchema, body, route.path);
    ids.push(
      ...page.companies.map((company) => ({
        id: company.id,
        ownDatabase: company.database_provider === "custom",
      })),
    );
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return ids;
}

const entriesText = (status: SearchIndexStatus) =>
  Object.entries(status.entries)
    .map(([type, count]) => `${type} ${count}`)
    .join(", ");

/** One line per company: what the index is like after the command. */
export function statusLine(status: SearchIndexStatus): string {
  const state = status.present ? `integrity ${status.integrity}` : "dropped";
  return `${state}; ${entriesText(status)} (${Math.round(status.took_ms)} ms)`;
}

const HINTS: Record<SearchIndexAction, (companyId: string) => string> = {
  status: (id) => `Repair it with \`nexus search rebuild --company ${id}\`.`,
  rebuild: () =>
    "The rebuild did not pass FTS5's integrity check; run it again, and report it if it persists.",
  drop: (id) =>
    `Search answers SEARCH_INDEX_MISSING until \`nexus search rebuild --company ${id}\` (after the export).`,
};

export async function searchIndex(options: SearchIndexOptions, deps: SearchIndexDeps): Promise<number> {
  const api: NexusApiOptions = {
    baseUrl: options.baseUrl,
    adminSecret: options.adminSecret,
    fetch: deps.fetch,
  };
  const { stdout } = deps;
  if (options.companyId !== undefined) {
    const status = await indexCommand(api, options.action, options.companyId);
    if (options.json) stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    else {
      stdout.write(`Search index of ${options.companyId}: ${statusLine(status)}\n`);
      if (options.action === "drop" || status.integrity === "failed") {
        stdout.write(`${HINTS[options.action](options.companyId)}\n`);
      }
    }
    return status.integrity === "failed" ? 1 : 0;
  }

  const ids = await allCompanies(api);
  const results: { company_id: string; status?: SearchIndexStatus; skipped?: string; error?: string }[] = [];
  for (const [index, { id: companyId, ownDatabase }] of ids.entries()) {
    const prefix = `[${index + 1}/${ids.length}] ${companyId}`;
    if (ownDatabase) {
      // Its records live in the company's own database: Nexus holds no index for it.
      results.push({ company_id: companyId, skipped: "own database" });
      if (!options.json) stdout.write(`${prefix}: skipped (own database)\n`);
      continue;
    }
    try {
      const status = await indexCommand(api, options.action, companyId);
      results.push({ company_id: companyId, status });
      if (!options.json) stdout.write(`${prefix}: ${statusLine(status)}\n`);
    } catch (error) {
      // One company's failure must not stop the walk over the others; it is reported and counted.
      if (!(error instanceof CliError)) throw error;
      if (error instanceof NexusApiError && NO_INDEX.has(error.code)) {
        results.push({ company_id: companyId, skipped: error.code });
        if (!options.json) stdout.write(`${prefix}: skipped (${error.code})\n`);
      } else {
        results.push({ company_id: companyId, error: error.message });
        if (!options.json) stdout.write(`${prefix}: failed: ${error.message}\n`);
      }
    }
  }
  const failed = results.filter((r) => r.error !== undefined || r.status?.integrity === "failed").length;
  if (options.json) stdout.write(`${JSON.stringify({ companies: results }, null, 2)}\n`);
  else {
    stdout.write(`${ids.length} companies, ${failed} failed.\n`);
    if (options.action === "drop") {
      stdout.write(
        "Search answers SEARCH_INDEX_MISSING until `nexus search rebuild --all` (after the export).\n",
      );
    }
  }
  return failed > 0 ? 1 : 0;
}
