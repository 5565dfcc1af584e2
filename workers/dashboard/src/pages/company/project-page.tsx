// One project: its client, showroom, assignments, value and dates; where it stands in its pipeline
// with what its stages require; its history; its documents; and its chat. Loaded by id within the company in
// the address: an id of another company's project is "not found" like any unknown id.

import { NexusApiError } from "@nexus/client/errors";
import { ASSIGNMENT_ROLES, type Company, type Project, routes } from "@nexus/contracts";
import { useCallback, useState } from "react";
import { Card } from "../../components/card.tsx";
import { Link } from "../../components/link.tsx";
import { ErrorState, Loading } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAsync } from "../../lib/use-async.ts";
import { useDocumentTitle } from "../title.ts";
import { type CrmContext, stagesFor } from "./crm/data.ts";
import { formatDate, formatValue } from "./crm/format.ts";
import { ProjectChat } from "./project-chat.tsx";
import { ProjectDocuments } from "./project-documents.tsx";
import { STATUS_LABELS } from "./project-list.tsx";
import { ProjectStage } from "./project-stage.tsx";
import { ProjectTimeline } from "./project-timeline.tsx";
import { companyPath } from "./section.ts";

export function ProjectPage({
  company,
  crm,
  projectId,
}: {
  company: Company;
  crm: CrmContext;
  projectId: string;
}) {
  const companyId = company.id;
  const loaded = useAsync(
    useCallback(
      (signal: AbortSignal) => callApi(routes.getProject, { params: { companyId, projectId }, signal }),
      [companyId, projectId],
    ),
  );
  // Bumped when the history or the documents changed, so the requirement marks are checked again.
  const [factsVersion, setFactsVersion] = useState(0);
  const [timelineVersion, setTimelineVersion] = useState(0);
  const project = loaded.data?.project;
  useDocumentTitle(project ? `${project.reference} · ${company.company_name}` : "Project");

  if (loaded.error !== undefined) {
    if (loaded.error instanceof NexusApiError && loaded.error.code === "PROJECT_NOT_FOUND") {
      return <ProjectNotFound company={company} />;
    }
    return <ErrorState error={loaded.error} onRetry={loaded.reload} />;
  }
  if (!project) return <Loading label="Loading the project…" />;

  const stages = stagesFor(crm, project.showroom_id);
  // The project loads again, and with it the requirement marks of its new stage.
  const afterMove = () => {
    loaded.reload();
    setTimelineVersion((version) => version + 1);
  };
  const factsChanged = () => setFactsVersion((version) => version + 1);

  return (
    <article className="crm project-page" aria-labelledby="project-heading">
      <header className="project-header">
        <Link href={companyPath(companyId, "projects")}>← All projects</Link>
        <h2 id="project-heading">
          {project.reference} · {project.title}
          {project.status !== "active" && <span className="badge">{STATUS_LABELS[project.status]}</span>}
        </h2>
      </header>
      <ProjectFacts company={company} crm={crm} project={project} />
      <ProjectStage
        company={company}
        crm={crm}
        project={project}
        stages={stages}
        factsVersion={factsVersion}
        onProjectChanged={loaded.reload}
        onMoved={afterMove}
      />
      <div className="project-columns">
        <ProjectTimeline
          companyId={companyId}
          project={project}
          stages={stages}
          names={crm.names}
          version={timelineVersion}
          onLogged={factsChanged}
        />
        <ProjectDocuments companyId={companyId} project={project} stages={stages} onUploaded={factsChanged} />
      </div>
      <ProjectChat companyId={companyId} projectId={project.id} names={crm.names} />
    </article>
  );
}

const ROLE_NAMES = { surveyor: "Surveyor", designer: "Designer", installer: "Installer" } as const;

function ProjectFacts({ company, crm, project }: { company: Company; crm: CrmContext; project: Project }) {
  const { client } = project;
  const address = client.address
    ? [
        client.address.line1,
        client.address.line2,
        client.address.city,
        client.address.postcode,
        client.address.country,
      ]
        .filter(Boolean)
        .join(", ")
    : "";
  const showroom = crm.showrooms.find((candidate) => candidate.id === project.showroom_id);
  return (
    <div className="cards">
      <Card title="Client" className="fact-card">
        <p className="fact-main">{client.name}</p>
        {client.email && (
          <p className="small">
            <a href={`mailto:${client.email}`}>{client.email}</a>
          </p>
        )}
        {client.phone && (
          <p className="small">
            <a href={`tel:${client.phone}`}>{client.phone}</a>
          </p>
        )}
        {address && <p className="small muted">{address}</p>}
      </Card>
      <Card title="Showroom" className="fact-card">
        <p className="fact-main">{showroom?.name ?? "Unknown showroom"}</p>
        {showroom && <p className="small muted capitalize">{showroom.type}</p>}
      </Card>
      <Card title="Assignments" className="fact-card">
        <dl className="fact-list">
          {ASSIGNMENT_ROLES.map((role) => {
            const userId = project.assignments[role];
            return (
              <div key={role}>
                <dt>{ROLE_NAMES[role]}</dt>
                <dd>
                  {userId ? (crm.names.get(userId) ?? "A team member") : <span className="muted">None</span>}
                </dd>
              </div>
            );
          })}
        </dl>
      </Card>
      <Card title="Value and dates" className="fact-card">
        <p className="fact-main">{formatValue(project.value, company.settings)}</p>
        <dl className="fact-list small">
          <div>
            <dt>Expected completion</dt>
            <dd>
              {project.expected_completion ? (
                formatDate(project.expected_completion)
              ) : (
                <span className="muted">Not set</span>
              )}
            </dd>
          </div>
          {(
            [
              ["Opened", project.created_at],
              ["Updated", project.updated_at],
            ] as const
          ).map(([label, at]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>
                <time dateTime={at}>{formatDateTime(at)}</time>
              </dd>
            </div>
          ))}
        </dl>
      </Card>
    </div>
  );
}

/** An id this company has no project under (or one the user is not assigned to): nothing else shows. */
export function ProjectNotFound({ company }: { company: Company }) {
  return (
    <div className="state state-error" role="alert">
      <h2>Project not found</h2>
      <p>This company has no such project, or it is not one of yours.</p>
      <div className="state-actions">
        <Link className="button" href={companyPath(company.id, "projects")}>
          All projects
        </Link>
      </div>
    </div>
  );
}
