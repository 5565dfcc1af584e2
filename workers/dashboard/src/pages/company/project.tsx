// Company section "Projects": the list of projects with the API's filters, and at
// /companies/{id}/projects/{projectId} one project's page.
import "../../styles/crm.css";
import { useCallback } from "react";
import { Loaded } from "../../components/states.tsx";
import { useAsync } from "../../lib/use-async.ts";
import { loadCrmContext } from "./crm/data.ts";
import { ProjectList } from "./project-list.tsx";
import { ProjectNotFound, ProjectPage } from "./project-page.tsx";
import type { CompanySectionProps } from "./section.ts";

export function ProjectsSection({ company, rest }: CompanySectionProps) {
  const crm = useAsync(
    useCallback((signal: AbortSignal) => loadCrmContext(company.id, signal), [company.id]),
  );
  const [projectId, ...beyond] = rest;
  if (beyond.length > 0) return <ProjectNotFound company={company} />;
  return (
    <Loaded state={crm} loading={projectId ? "Loading the project…" : "Loading projects…"}>
      {(context) =>
        projectId ? (
          // Keyed: nothing of one project's page (forms, pages loaded) carries into another's.
          <ProjectPage key={projectId} company={company} crm={context} projectId={projectId} />
        ) : (
          <ProjectList company={company} crm={context} />
        )
      }
    </Loaded>
  );
}
