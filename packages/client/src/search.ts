// Federated search from the apps: one query across the company's projects, clients, activities,
// documents, machines, members and showrooms (POST …/search), answered with only what the token may
// read, and the click on a result reported back for the company's search report. Offline search
// of synced jobs is in search-offline.ts, which needs no schemas.
import { routes, type SearchEntityType, type SearchRequest, type SearchResponse } from "@nexus/contracts";
import { callJson, connectionOf, fillPath, type NexusClientOptions, type Route } from "./client.ts";

export interface SearchCallOptions extends Omit<NexusClientOptions, "credential" | "installationSecrets"> {
  /** An installation token (documents only), a company API key (`nxk_…`) or the operator secret. */
  token: string;
  companyId: string;
  /** Cancels the call, including pending retries; it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface SearchOptions extends SearchCallOptions {
  /** What to look for: `q` and optionally types, filters, facets, weights, limit and cursor. */
  request: SearchRequest;
}

export interface SearchClickOptions extends SearchCallOptions {
  /** The `query_id` the search answered. */
  queryId: string;
  /** The result opened and its position on the page (0-based, across pages). */
  click: { type: SearchEntityType; id: string; position: number };
}

/** A company route's call: its path filled in, the token sent, the answer read against its schema. */
function callCompanyRoute<T>(
  options: SearchCallOptions,
  route: Route<T>,
  params: Record<string, string>,
  body: unknown,
): Promise<T> {
  const path = fillPath(route.path, { companyId: options.companyId, ...params });
  return callJson(
    { ...connectionOf(options), userAgent: options.userAgent },
    { ...route, path },
    body,
    { authorization: `Bearer ${options.token}` },
    options.signal,
  );
}

/**
 * Searches the company (the records the token may read), ranked on one scale, with typo
 * tolerance, facet counts and `<mark>`ed snippets. A transient failure is retried, and each attempt
 * the API answers is logged as a query. Report the result the user opens with `reportSearchClick`.
 */
export function search(options: SearchOptions): Promise<SearchResponse> {
  return callCompanyRoute(options, routes.searchCompany, {}, options.request);
}

/** Tells the company's search report which result of a query the user opened (the last one counts). */
export async function reportSearchClick(options: SearchClickOptions): Promise<void> {
  await callCompanyRoute(options, routes.reportSearchClick, { queryId: options.queryId }, options.click);
}
