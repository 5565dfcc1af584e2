// Where a signed-in user picks the company to work on: operators search every company, members see
// the companies (better-auth organizations) they belong to and go straight in when there is one.
import { type Company, routes, SubscriptionTierSchema } from "@nexus/contracts";
import { Fragment, useCallback, useEffect, useState } from "react";
import { Field, TextField } from "../components/field.tsx";
import { Link } from "../components/link.tsx";
import { PagedTable } from "../components/paged-table.tsx";
import { EmptyState, Loaded, Loading } from "../components/states.tsx";
import { callApi } from "../lib/api.ts";
import { authClient, isOperator, type SessionUser } from "../lib/auth.ts";
import { navigate } from "../lib/router.ts";
import { useDebounced } from "../lib/timing.ts";
import { useAsync } from "../lib/use-async.ts";
import { usePagedList } from "../lib/use-paged-list.ts";
import { CompanyAdminPanel } from "./platform/company-admin.tsx";
import { useDocumentTitle } from "./title.ts";
import "../styles/platform.css";

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

const STATUS_FILTERS = ["active", "suspended"] as const;

function AllCompanies() {
  const [search, setSearch] = useState("");
  const [tier, setTier] = useState<Company["subscription_tier"] | "">("");
  const [status, setStatus] = useState<(typeof STATUS_FILTERS)[number] | "">("");
  const [managing, setManaging] = useState<string>();
  const q = useDebounced(search.trim(), 250);
  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listCompanies, {
          query: { q: q || undefined, tier: tier || undefined, status: status || undefined, cursor },
          signal,
        });
        return { items: page.companies, nextCursor: page.next_cursor };
      },
      [q, tier, status],
    ),
  );
  // A change made in a row's panel shows at once; the list is read again in the background.
  const [updated, setUpdated] = useState<ReadonlyMap<string, Company>>(new Map());
  const { reload } = list;
  const onChanged = useCallback(
    (company: Company) => {
      setUpdated((previous) => new Map(previous).set(company.id, company));
      reload();
    },
    [reload],
  );
  const filtered = Boolean(q || tier || status);

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
          <Field label="Tier">
            {(id) => (
              <select
                id={id}
                value={tier}
                onChange={(event) => setTier(event.target.value as Company["subscription_tier"] | "")}
              >
                <option value="">Any</option>
                {SubscriptionTierSchema.options.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Status">
            {(id) => (
              <select
                id={id}
                value={status}
                onChange={(event) => setStatus(event.target.value as (typeof STATUS_FILTERS)[number] | "")}
              >
                <option value="">Any</option>
                <option value="active">Not suspended</option>
                <option value="suspended">Suspended</option>
              </select>
            )}
          </Field>
        </search>
        <PagedTable
          list={list}
          caption="Companies"
          loading="Loading companies…"
          empty={<EmptyState title={filtered ? "No company matches these filters" : "No companies yet"} />}
          columns={
            <>
              <th scope="col">Company</th>
              <th scope="col">Code</th>
              <th scope="col">Tier</th>
              <th scope="col">Status</th>
              <th scope="col">Seats used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </>
          }
          row={(listed) => {
            const company = updated.get(listed.id) ?? listed;
            const open = managing === company.id;
            return (
              <Fragment key={company.id}>
                <tr>
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
                    <SeatUsage used={company.active_installations} limit={company.max_installations} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button-quiet"
                      aria-expanded={open}
                      aria-controls={`manage-${company.id}`}
                      onClick={() => setManaging(open ? undefined : company.id)}
                    >
                      Manage<span className="visually-hidden"> {company.company_name}</span>
                    </button>
                  </td>
                </tr>
                {open && (
                  <tr id={`manage-${company.id}`} className="manage-row">
                    <td colSpan={6}>
                      <CompanyAdminPanel company={company} onChanged={onChanged} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          }}
        />
      </section>
    </div>
  );
}

function SeatUsage({ used, limit }: { used: number; limit: number }) {
  const share = limit > 0 ? Math.min(1, used / limit) : 1;
  return (
    <span className="seat-usage">
      <span>
        {used} / {limit}
      </span>
      <span className="seat-bar" aria-hidden="true">
        <span className={share >= 0.9 ? "seat-bar-full" : undefined} style={{ width: `${share * 100}%` }} />
      </span>
    </span>
  );
}
