// The company's projects, newest first, filtered by the API (text, showroom, assignee, stage,
// status; kept in the address) and paged with "Load more".
import { type Company, type PipelineStage, PROJECT_STATUSES, routes } from "@nexus/contracts";
import { useCallback } from "react";
import { SelectField } from "../../components/field.tsx";
import { Link } from "../../components/link.tsx";
import { PagedTable } from "../../components/paged-table.tsx";
import { EmptyState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { usePagedList } from "../../lib/use-paged-list.ts";
import { type CrmContext, stagesFor } from "./crm/data.ts";
import { ProjectFilters, useProjectFilterValues } from "./crm/filters.tsx";
import { formatValue } from "./crm/format.ts";
import { Updating } from "./crm/load-more.tsx";
import { useQuery } from "./crm/query.ts";
import { stageName } from "./crm/stages.ts";
import { companyPath } from "./section.ts";

const PAGE_SIZE = 25;
const FILTER_KEYS = ["q", "showroom", "assignee", "stage", "status"];
type Status = (typeof PROJECT_STATUSES)[number];
export const STATUS_LABELS: Record<Status, string> = {
  active: "Active",
  on_hold: "On hold",
  completed: "Completed",
  cancelled: "Cancelled",
};

const ANY = { value: "", label: "Any" };
const COLUMNS: [label: string, wideOnly?: true][] = [
  ["Project"],
  ["Client"],
  ["Stage"],
  ["Value"],
  ["Showroom", true],
  ["Updated", true],
];

const isStatus = (value: string | null): value is Status =>
  (PROJECT_STATUSES as readonly (string | null)[]).includes(value);

export function ProjectList({ company, crm }: { company: Company; crm: CrmContext }) {
  const companyId = company.id;
  const [query, setQuery] = useQuery();
  const { q, showroomId, assignee } = useProjectFilterValues();
  const stage = query.get("stage") || undefined;
  const statusParam = query.get("status");
  const status = isStatus(statusParam) ? statusParam : undefined;
  const filtered = FILTER_KEYS.some((key) => query.get(key));

  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listProjects, {
          params: { companyId },
          query: { q, showroom_id: showroomId, assignee, stage, status, limit: PAGE_SIZE, cursor },
          signal,
        });
        return { items: page.projects, nextCursor: page.next_cursor };
      },
      [companyId, q, showroomId, assignee, stage, status],
    ),
  );

  const showroomName = (id: string) => crm.showrooms.find((showroom) => showroom.id === id)?.name ?? "—";
  return (
    <section className="panel crm" aria-labelledby="projects-heading">
      <div className="panel-header">
        <h2 id="projects-heading">Projects</h2>
        <Updating list={list} />
      </div>
      <ProjectFilters crm={crm} anyShowroom keys={FILTER_KEYS}>
        <SelectField
          label="Stage"
          value={stage ?? ""}
          choices={[
            ANY,
            ...stageOptions(crm, showroomId).map(({ key, name }) => ({ value: key, label: name })),
          ]}
          onChange={(value) => setQuery({ stage: value })}
        />
        <SelectField
          label="Status"
          value={status ?? ""}
          choices={[ANY, ...PROJECT_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }))]}
          onChange={(value) => setQuery({ status: value })}
        />
      </ProjectFilters>
      <PagedTable
        loading="Loading projects…"
        list={list}
        caption={`Projects${filtered ? " matching the filters" : ""}, newest first`}
        empty={
          <EmptyState title={filtered ? "No project matches these filters" : "No projects yet"}>
            {!filtered && <p>Projects opened in a showroom, from the apps or the API, show here.</p>}
          </EmptyState>
        }
        columns={COLUMNS.map(([label, wideOnly]) => (
          <th key={label} scope="col" className={wideOnly ? "wide-only" : undefined}>
            {label}
          </th>
        ))}
        row={(project) => (
          <tr key={project.id}>
            <th scope="row">
              <Link href={companyPath(companyId, "projects", project.id)}>{project.reference}</Link>
              <span className="muted small cell-line">{project.title}</span>
            </th>
            <td>
              {project.client.name}
              {project.client.email && <span className="muted small cell-line">{project.client.email}</span>}
            </td>
            <td>
              {stageName(stagesFor(crm, project.showroom_id), project.stage)}
              {project.status !== "active" && (
                <span className="muted small cell-line">{STATUS_LABELS[project.status]}</span>
              )}
            </td>
            <td>{formatValue(project.value, company.settings)}</td>
            <td className="wide-only">{showroomName(project.showroom_id)}</td>
            <td className="wide-only">
              <time dateTime={project.updated_at}>{formatDateTime(project.updated_at)}</time>
            </td>
          </tr>
        )}
      />
    </section>
  );
}

/** The stages to filter by: the chosen showroom's pipeline, or every pipeline's stages once each. */
function stageOptions(crm: CrmContext, showroomId: string | undefined): PipelineStage[] {
  if (showroomId) return stagesFor(crm, showroomId);
  const byKey = new Map<string, PipelineStage>();
  for (const stage of [...crm.defaultStages, ...[...crm.ownStages.values()].flat()]) {
    if (!byKey.has(stage.key)) byKey.set(stage.key, stage);
  }
  return [...byKey.values()];
}
