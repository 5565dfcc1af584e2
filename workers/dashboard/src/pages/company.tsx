// One company's screens: its header, branding and navigation around the section the address names.
// Everything is loaded by the company id in the URL and scoped by the API; an id the user may not
// see shows an error and nothing else.
import { type Company, routes } from "@nexus/contracts";
import { type ReactNode, Suspense, useCallback, useEffect } from "react";
import { Link } from "../components/link.tsx";
import { ErrorState, Loading } from "../components/states.tsx";
import { callApi } from "../lib/api.ts";
import { brandOf, logoOf, useCompanyLogo } from "../lib/branding.ts";
import { CompanyLiveProvider } from "../lib/company-live.tsx";
import { useAsync } from "../lib/use-async.ts";
import { useCompanyAccess } from "./company/members-access.ts";
import { mayTry } from "./company/members-roles.ts";
import { InboxBell } from "./company/notifications-bell.tsx";
import { SearchBox } from "./company/search-box.tsx";
import { companyPath } from "./company/section.ts";
import { COMPANY_SECTIONS, type CompanySection } from "./company/sections.ts";
import { NotFoundPage } from "./not-found.tsx";
import { useDocumentTitle } from "./title.ts";

export function CompanyPage({ companyId, segments }: { companyId: string; segments: readonly string[] }) {
  const company = useAsync(
    useCallback(
      (signal: AbortSignal) => callApi(routes.getCompany, { params: { companyId }, signal }),
      [companyId],
    ),
  );
  useDocumentTitle(company.data?.company.company_name ?? "Company");
  useBranding(company.data?.company);

  if (company.error !== undefined) {
    return (
      <div className="page">
        <h1 tabIndex={-1}>Company</h1>
        <ErrorState error={company.error} onRetry={company.reload}>
          <Link className="button button-quiet" href="/">
            Back to your companies
          </Link>
        </ErrorState>
      </div>
    );
  }
  if (!company.data) return <Loading label="Loading company…" />;
  const [slug = "", ...rest] = segments;
  const section = COMPANY_SECTIONS.find((candidate) => candidate.slug === slug);
  if (!section) return <NotFoundPage />;
  return (
    // One live channel for the whole page: the bell, the overview and a project's chat share it.
    <CompanyLiveProvider companyId={companyId}>
      <CompanyShell company={company.data.company} current={section}>
        <Suspense fallback={<Loading label={`Loading ${section.label.toLowerCase()}…`} />}>
          <section.Screen company={company.data.company} rest={rest} reloadCompany={company.reload} />
        </Suspense>
      </CompanyShell>
    </CompanyLiveProvider>
  );
}

const SEARCH_READ = { resource: "search", action: "read" } as const;

function CompanyShell({
  company,
  current,
  children,
}: {
  company: Company;
  current: CompanySection;
  children: ReactNode;
}) {
  // Sections behind a permission appear once the role is known, and only if it may hold it: a
  // member never sees a tab whose every request would be refused.
  const access = useCompanyAccess(company.id);
  const shown = COMPANY_SECTIONS.filter(
    (section) =>
      section === current ||
      section.permission === undefined ||
      (access !== undefined && mayTry(access, section.permission)),
  );
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>{company.company_name}</h1>
          <p className="muted">
            Company code <strong className="mono">{company.company_code}</strong> ·{" "}
            <span className="capitalize">{company.subscription_tier}</span>
            {company.suspended && <span className="badge badge-inactive">Suspended</span>}
          </p>
        </div>
        <div className="page-header-tools">
          {(access === undefined || mayTry(access, SEARCH_READ)) && <SearchBox companyId={company.id} />}
          <InboxBell companyId={company.id} />
        </div>
      </div>
      <nav className="tabs" aria-label={`${company.company_name} sections`}>
        {shown.map((section) => (
          <Link
            key={section.slug}
            href={companyPath(company.id, ...(section.slug ? [section.slug] : []))}
            aria-current={section === current ? "page" : undefined}
          >
            {section.label}
          </Link>
        ))}
      </nav>
      {children}
    </div>
  );
}

/** Applies the company's primary color to the page, and shows its logo in the top bar, while it is shown. */
function useBranding(company: Company | undefined) {
  const brand = company ? brandOf(company.settings) : null;
  const color = brand?.color;
  const contrast = brand?.contrast;
  useEffect(() => {
    if (!color || !contrast) return;
    const style = document.documentElement.style;
    style.setProperty("--brand", color);
    style.setProperty("--brand-contrast", contrast);
    return () => {
      style.removeProperty("--brand");
      style.removeProperty("--brand-contrast");
    };
  }, [color, contrast]);
  const logo = company ? logoOf(company.settings) : null;
  useCompanyLogo(company && logo ? { companyName: company.company_name, url: logo } : null);
}
