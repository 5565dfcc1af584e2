// The company search (routes.searchCompany) as the search box and the list screens use it: one
// request per pause in typing, the previous one aborted, and clicks reported without waiting.
import { routes, type SearchEntityType, type SearchResponse } from "@nexus/contracts";
import { useCallback } from "react";
import { callApi } from "./api.ts";
import { useDebounced } from "./timing.ts";
import { useAsync } from "./use-async.ts";

export interface SearchState {
  /** The answer for `query` (undefined before the first one, and while nothing is typed). */
  data: SearchResponse | undefined;
  error: unknown;
  /** The text the shown answer is for ("" when nothing is asked). */
  query: string;
  loading: boolean;
  reload: () => void;
}

/** Searches `text` once it has been still for `delayMs`; nothing is sent for blank text. */
export function useSearch(
  companyId: string,
  text: string,
  {
    types,
    limit,
    delayMs = 200,
  }: { types?: readonly SearchEntityType[]; limit?: number; delayMs?: number } = {},
): SearchState {
  const query = useDebounced(text.trim(), delayMs);
  const typeKey = types?.join(",") ?? "";
  const state = useAsync(
    useCallback(
      async (signal: AbortSignal) => {
        if (!query) return undefined;
        return callApi(routes.searchCompany, {
          params: { companyId },
          body: {
            q: query,
            ...(typeKey ? { types: typeKey.split(",") as SearchEntityType[] } : {}),
            ...(limit ? { limit } : {}),
          },
          signal,
        });
      },
      [companyId, query, typeKey, limit],
    ),
  );
  return {
    data: query ? state.data : undefined,
    error: query ? state.error : undefined,
    query,
    loading: query !== "" && (state.loading || query !== text.trim()),
    reload: state.reload,
  };
}

/**
 * Tells the API which result was opened. Never awaited by the caller: navigation does not wait for
 * analytics, and a failed report is not the user's problem.
 */
export function reportSearchClick(
  companyId: string,
  queryId: string,
  hit: { type: SearchEntityType; id: string },
  position: number,
): void {
  callApi(routes.reportSearchClick, {
    params: { companyId, queryId },
    body: { type: hit.type, id: hit.id, position },
  }).catch(() => {});
}
