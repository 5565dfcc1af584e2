// Where a signed-in user picks the company to work on: operators search every company, members see
// the companies (better-auth organizations) they belong to and go straight in when there is one.
import { routes } from "@nexus/contracts";
import { useCallback, useEffect, useState } from "react";
import { TextField } from "../components/field.tsx";
import { Link } from "../components/link.tsx";
import { PagedTable } from "../components/paged-table.tsx";
import { EmptyState, Loaded, Loading } from "../components/states.tsx";
import { callApi } from "../lib/api.ts";
import { authClient, isOperator, type SessionUser } from "../lib/auth.ts";
import { navigate } from "../lib/router.ts";
import { useDebounced } from "../lib/timing.ts";
import { useAsync } from "../lib/use-async.ts";
import { usePagedList } from "../lib/use-paged-list.ts";
import { useDocumentTitle } from "./title.ts";

const companyPath = (id: string) => `/companies/${encodeURIComponent(id)}`;

export function CompaniesPage({ user }: { user: SessionUser }) {
  useDocumentTitle("Companies");
  return isOperator(user) ? <AllCompanies /> : <MyCompanies />;
}

function MyCompanies() {
  const organizations = useAsync(
    useCallback(async () => {
      const { data, error } = await authClient.organization.list();
      if (error) throw new Error(error.message || `Could not list your companies (HTTP ${error.status}).`);
      return data;
    }, []),
  );
  const only = organizations.data?.length === 1 ? organizations.data[0] : undefined;
  useEffect(() => {
    if (only) navigate(companyPath(only.id), { replace: true });
  }, [only]);

  return (
    <div className="page">
      <h1 tabIndex={-1}>Your companies</h1>
      <Loaded state={organizations} loading="Loading your companies…">
        {(list) =>
          only ? (
            <Loading label="Opening your company…" />
          ) : list.length === 0 ? (
            <EmptyState title="You are not in a company yet">
              <p>Ask a company's owner or admin to invite you, then open the link in the invitation mail.</p>
            </EmptyState>
          ) : (
            <ul className="company-list">
              {list.map((organization) => (
                <li key={organization.id}>
                  <Link href={companyPath(organization.id)}>{organization.name}</Link>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </div>
  );
}

function AllCompanies() {
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 250);
  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listCompanies, { query: { q: q || undefined, cursor }, signal });
        return { items: page.companies, nextCursor: page.next_cursor };
      },
      [q],
    ),
  );

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>All companies</h1>
          <p className="muted">You are a platform operator: every company is open to you.</p>
        </div>
      </div>
      <section className="panel" aria-label="Companies">
        <search className="filters">
          <TextField
            label="Search"
            type="search"
            value={search}
            placeholder="Name, code or admin email"
            onChange={(event) => setSearch(event.target.value)}
          />
        </search>
        <PagedTable
          list={list}
          caption="Companies"
          loading="Loading companies…"
          empty={<EmptyState title={q ? "No company matches this search" : "No companies yet"} />}
          columns={
            <>
              <th scope="col">Company</th>
              <th scope="col">Code</th>
              <th scope="col">Tier</th>
              <th scope="col">Status</th>
              <th scope="col">Seats used</th>
            </>
          }
          row={(company) => (
            <tr key={company.id}>
              <th scope="row">
                <Link href={companyPath(company.id)}>{company.company_name}</Link>
              </th>
              <td className="mono">{company.company_code}</td>
              <td className="capitalize">{company.subscription_tier}</td>
              <td>
                {company.suspended ? (
                  <span className="badge badge-inactive">Suspended</span>
                ) : (
                  <span className="capitalize">{company.subscription_status}</span>
                )}
              </td>
              <td>
                {company.active_installations} / {company.max_installations}
              </td>
            </tr>
          )}
        />
      </section>
    </div>
  );
}
