// The issues list's view lives in the address (`?status=resolved&release=…&platform=…&project=…&sort=…`),
// so a filtered list can be linked. Unresolved issues are the default (what needs work); `status=all`
// lists every state. Values the API would refuse are dropped rather than sent.
import {
  type ErrorIssueListQuery,
  type ErrorIssueSort,
  ErrorIssueSortSchema,
  type ErrorIssueStatus,
  ErrorIssueStatusSchema,
} from "@nexus/contracts";

export type IssueStatusFilter = ErrorIssueStatus | "all";

export interface IssueFilters {
  status: IssueStatusFilter;
  release?: string;
  platform?: string;
  projectId?: number;
  sort: ErrorIssueSort;
}

export const DEFAULT_ISSUE_FILTERS: IssueFilters = { status: "unresolved", sort: "last_seen" };

export function issueFiltersFrom(search: string): IssueFilters {
  const query = new URLSearchParams(search);
  const text = (name: string, max: number) => {
    const value = (query.get(name) ?? "").trim();
    return value && value.length <= max ? value : undefined;
  };
  const statusText = query.get("status");
  const status = ErrorIssueStatusSchema.safeParse(statusText);
  const sort = ErrorIssueSortSchema.safeParse(query.get("sort"));
  const project = Number(query.get("project"));
  const filters: IssueFilters = {
    status: statusText === "all" ? "all" : status.success ? status.data : "unresolved",
    sort: sort.success ? sort.data : "last_seen",
  };
  const release = text("release", 200);
  const platform = text("platform", 64);
  if (release) filters.release = release;
  if (platform) filters.platform = platform;
  if (Number.isSafeInteger(project) && project > 0) filters.projectId = project;
  return filters;
}

/** The query string for `filters` ("" for the default view, else starting with `?`). */
export function issueFiltersQuery(filters: IssueFilters): string {
  const query = new URLSearchParams();
  if (filters.status !== "unresolved") query.set("status", filters.status);
  if (filters.release) query.set("release", filters.release);
  if (filters.platform) query.set("platform", filters.platform);
  if (filters.projectId !== undefined) query.set("project", String(filters.projectId));
  if (filters.sort !== "last_seen") query.set("sort", filters.sort);
  const text = query.toString();
  return text ? `?${text}` : "";
}

/** Whether anything narrows the list beyond the default (unresolved issues). */
export const hasIssueFilters = (filters: IssueFilters): boolean =>
  filters.status !== "unresolved" ||
  filters.release !== undefined ||
  filters.platform !== undefined ||
  filters.projectId !== undefined;

/** The API's query for `filters` (no status: every state). */
export function issueListQuery(filters: IssueFilters): ErrorIssueListQuery {
  return {
    status: filters.status === "all" ? undefined : filters.status,
    release: filters.release,
    platform: filters.platform,
    project_id: filters.projectId,
    sort: filters.sort,
  };
}
