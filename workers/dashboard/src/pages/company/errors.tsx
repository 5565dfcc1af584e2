// The company's app error tracking (section "Errors", for roles with errors:read): the issues its
// apps' Sentry SDKs reported (grouped, with their state), one issue's page, the DSNs the apps send to,
// and the source maps uploaded for symbolication. State changes and DSNs need errors:manage.
import { Link } from "../../components/link.tsx";
import { EmptyState, Loading } from "../../components/states.tsx";
import "../../styles/errors.css";
import { errorsPath, useErrorProjects } from "./errors-data.ts";
import { ErrorProjects } from "./errors-dsns.tsx";
import { ErrorIssuePage } from "./errors-issue.tsx";
import { ErrorIssues } from "./errors-issues.tsx";
import { SourceMaps } from "./errors-source-maps.tsx";
import { useCompanyAccess } from "./members-access.ts";
import { mayTry } from "./members-roles.ts";
import type { CompanySectionProps } from "./section.ts";

const VIEWS = [
  { slug: "", label: "Issues" },
  { slug: "dsns", label: "DSNs" },
  { slug: "source-maps", label: "Source maps" },
] as const;

export function CompanyErrors({ company, rest }: CompanySectionProps) {
  const companyId = company.id;
  const projects = useErrorProjects(companyId);
  const access = useCompanyAccess(companyId);
  const [slug = "", ...extra] = rest;
  const issueId = slug === "issues" && extra.length === 1 ? extra[0] : undefined;
  const view = issueId ? VIEWS[0] : VIEWS.find((candidate) => candidate.slug === slug);
  if (!view || (!issueId && extra.length > 0)) {
    return (
      <EmptyState title="There is nothing at this address">
        <Link className="button" href={errorsPath(companyId)}>
          Go to the issues
        </Link>
      </EmptyState>
    );
  }
  if (access === undefined) return <Loading label="Loading error tracking…" />;
  const manage = mayTry(access, { resource: "errors", action: "manage" });

  return (
    <div className="errors">
      <nav className="subtabs" aria-label="Error tracking">
        {VIEWS.map((candidate) => (
          <Link
            key={candidate.slug}
            href={errorsPath(companyId, ...(candidate.slug ? [candidate.slug] : []))}
            aria-current={candidate === view && !issueId ? "page" : undefined}
          >
            {candidate.label}
          </Link>
        ))}
      </nav>
      {issueId ? (
        // Keyed: nothing of one issue's state survives into another's page.
        <ErrorIssuePage
          key={issueId}
          companyId={companyId}
          issueId={issueId}
          projects={projects.data}
          manage={manage}
        />
      ) : (
        <>
          {view.slug === "" && <ErrorIssues companyId={companyId} projects={projects.data} />}
          {view.slug === "dsns" && (
            <ErrorProjects companyId={companyId} projects={projects} manage={manage} />
          )}
          {view.slug === "source-maps" && <SourceMaps companyId={companyId} projects={projects} />}
        </>
      )}
    </div>
  );
}
