// The company's error issues: unresolved ones first by default, filtered by state, release, platform
// and project, sorted by last seen, first seen, events or users (the view is in the address), paged
// with "Load more". Each row links to the issue's page.
import { type ErrorIssueSort, type ErrorProject, routes } from "@nexus/contracts";
import { useCallback, useMemo } from "react";
import { FilterSelect, SelectField } from "../../components/field.tsx";
import { Link } from "../../components/link.tsx";
import { PagedTable } from "../../components/paged-table.tsx";
import { EmptyState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime, timeAgo } from "../../lib/format.ts";
import { navigate, useLocation } from "../../lib/router.ts";
import { useAsync } from "../../lib/use-async.ts";
import { usePagedList } from "../../lib/use-paged-list.ts";
import {
  type ErrorIssueView,
  formatCount,
  issuePath,
  LEVEL_LABELS,
  projectName,
  STATUS_LABELS,
} from "./errors-data.ts";
import {
  hasIssueFilters,
  type IssueFilters,
  type IssueStatusFilter,
  issueFiltersFrom,
  issueFiltersQuery,
  issueListQuery,
} from "./errors-filters.ts";
import { RefreshButton } from "./llm-parts.tsx";

const PAGE_SIZE = 25;

const STATUS_CHOICES: readonly { value: IssueStatusFilter; label: string }[] = [
  { value: "unresolved", label: "Unresolved" },
  { value: "resolved", label: "Resolved" },
  { value: "ignored", label: "Ignored" },
  { value: "all", label: "Every state" },
];

const SORT_CHOICES: readonly { value: ErrorIssueSort; label: string }[] = [
  { value: "last_seen", label: "Last seen" },
  { value: "first_seen", label: "First seen" },
  { value: "times_seen", label: "Events" },
  { value: "users_seen", label: "Users" },
];

const unique = (values: readonly (string | null | undefined)[]): string[] =>
  [...new Set(values.filter((value): value is string => Boolean(value)))].sort();

export function ErrorIssues({
  companyId,
  projects,
}: {
  companyId: string;
  projects: readonly ErrorProject[] | undefined;
}) {
  const [path = "", search = ""] = useLocation().split("?");
  const filters = issueFiltersFrom(search);
  const query = issueFiltersQuery(filters);
  const filtered = hasIssueFilters(filters);
  const setFilters = (next: IssueFilters) => navigate(`${path}${issueFiltersQuery(next)}`, { replace: true });

  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listErrorIssues, {
          params: { companyId },
          query: { ...issueListQuery(issueFiltersFrom(query)), limit: PAGE_SIZE, cursor },
          signal,
        });
        return { items: page.issues, nextCursor: page.next_cursor };
      },
      [companyId, query],
    ),
  );
  // The releases to filter by: those with sessions (release health) and those of the listed issues.
  const health = useAsync(
    useCallback(
      async (signal: AbortSignal) =>
        (
          await callApi(routes.getCompanyReleaseHealth, {
            params: { companyId },
            query: { limit: 100 },
            signal,
          })
        ).releases,
      [companyId],
    ),
  );
  const releases = useMemo(
    () =>
      unique([
        ...(health.data ?? []).map((entry) => entry.release),
        ...list.items.flatMap((issue) => [issue.first_release, issue.last_release]),
      ]),
    [health.data, list.items],
  );
  const platforms = unique([
    ...(projects ?? []).map((project) => project.platform),
    ...list.items.map((issue) => issue.platform),
  ]);
  const statusWord = filters.status === "all" ? "" : `${STATUS_LABELS[filters.status].toLowerCase()} `;
  const clear = (
    <button
      type="button"
      className="button button-quiet"
      onClick={() => setFilters({ status: "unresolved", sort: filters.sort })}
    >
      Clear filters
    </button>
  );
  const now = Date.now();

  return (
    <section className="panel" aria-labelledby="error-issues-heading">
      <div className="panel-header">
        <h2 id="error-issues-heading">Issues</h2>
        <span className="muted small" role="status">
          {list.data
            ? `${list.items.length} ${statusWord}${list.items.length === 1 ? "issue" : "issues"}${list.hasMore ? " loaded, more below" : ""}`
            : ""}
        </span>
        <RefreshButton state={list} />
      </div>
      <search className="filters">
        <SelectField
          label="State"
          value={filters.status}
          choices={STATUS_CHOICES}
          onChange={(status) => setFilters({ ...filters, status })}
        />
        <FilterSelect
          label="Release"
          value={filters.release}
          options={releases.map((value) => ({ value, label: value }))}
          onChange={(release) => setFilters({ ...filters, release })}
        />
        <FilterSelect
          label="Platform"
          value={filters.platform}
          options={platforms.map((value) => ({ value, label: value }))}
          onChange={(platform) => setFilters({ ...filters, platform })}
        />
        <FilterSelect
          label="Project"
          value={filters.projectId === undefined ? undefined : String(filters.projectId)}
          options={(projects ?? []).map((project) => ({ value: String(project.id), label: project.name }))}
          onChange={(value) => setFilters({ ...filters, projectId: value ? Number(value) : undefined })}
        />
        <SelectField
          label="Sort by"
          value={filters.sort}
          choices={SORT_CHOICES}
          onChange={(sort) => setFilters({ ...filters, sort })}
        />
        {filtered && clear}
      </search>
      <PagedTable
        list={list}
        caption={`Error issues${filtered ? " matching the filters" : ""}, by ${SORT_CHOICES.find((choice) => choice.value === filters.sort)?.label.toLowerCase()}`}
        loading="Loading issues…"
        columns={
          <>
            <th scope="col">Issue</th>
            <th scope="col">Level</th>
            <th scope="col" className="numeric">
              Events
            </th>
            <th scope="col" className="numeric">
              Users
            </th>
            <th scope="col">Seen</th>
            <th scope="col" className="wide-only">
              Releases
            </th>
          </>
        }
        empty={
          <EmptyState title={filtered ? "No issue matches these filters" : "No unresolved issues"}>
            {filtered ? (
              clear
            ) : (
              <p>Errors your apps report through their DSN are grouped into issues here.</p>
            )}
          </EmptyState>
        }
        row={(issue: ErrorIssueView) => (
          <IssueRow
            key={issue.id}
            issue={issue}
            href={issuePath(companyId, issue.id)}
            project={projectName(projects, issue.project_id)}
            showStatus={filters.status === "all"}
            now={now}
          />
        )}
      />
    </section>
  );
}

function IssueRow({
  issue,
  href,
  project,
  showStatus,
  now,
}: {
  issue: ErrorIssueView;
  href: string;
  project: string;
  showStatus: boolean;
  now: number;
}) {
  const releases =
    issue.first_release && issue.last_release && issue.first_release !== issue.last_release
      ? `${issue.first_release} → ${issue.last_release}`
      : (issue.last_release ?? issue.first_release);
  return (
    <tr data-testid="error-issue-row">
      <th scope="row" className="errors-issue-cell">
        <Link href={href} className="errors-issue-title">
          {issue.title}
        </Link>
        <span className="muted small block mono">{issue.culprit ?? "No culprit"}</span>
        <span className="muted small block">
          {project} · {issue.platform}
          {showStatus && ` · ${STATUS_LABELS[issue.status]}`}
          {issue.regressed_at && issue.status === "unresolved" && " · regressed"}
        </span>
      </th>
      <td>
        <LevelBadge level={issue.level} />
      </td>
      <td className="numeric">{formatCount(issue.times_seen)}</td>
      <td className="numeric">{formatCount(issue.users_seen)}</td>
      <td className="errors-seen">
        <span title={formatDateTime(issue.last_seen)}>Last seen {timeAgo(issue.last_seen, now)}</span>
        <span className="muted small block" title={formatDateTime(issue.first_seen)}>
          First seen {timeAgo(issue.first_seen, now)}
        </span>
      </td>
      <td className="wide-only mono small">{releases ?? <span className="muted">None</span>}</td>
    </tr>
  );
}

export function LevelBadge({ level }: { level: ErrorIssueView["level"] }) {
  return <span className={`badge errors-level errors-level-${level}`}>{LEVEL_LABELS[level]}</span>;
}
