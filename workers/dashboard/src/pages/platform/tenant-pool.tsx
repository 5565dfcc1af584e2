// The tenant database pool: how many of this deployment's TENANT_DB_* bindings are free for new
// companies, which are reserved by a registration in flight, and which company each one serves.
import { routes } from "@nexus/contracts";
import { useCallback } from "react";
import { Card } from "../../components/card.tsx";
import { Link } from "../../components/link.tsx";
import { Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useAsync } from "../../lib/use-async.ts";
import { companyPath } from "../company/section.ts";
import { useDocumentTitle } from "../title.ts";
import "../../styles/platform.css";

const STATUS_BADGE = { free: "badge-online", reserved: "badge-offline", assigned: "badge-inactive" } as const;

export function TenantPoolPage() {
  useDocumentTitle("Tenant pool");
  const pool = useAsync(
    useCallback((signal: AbortSignal) => callApi(routes.tenantPoolStatus, { signal }), []),
  );
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>Tenant database pool</h1>
          <p className="muted">
            Every company gets its own D1 database from this pool when it registers. Add bindings before it
            runs out: registrations are refused when no database is free.
          </p>
        </div>
        <button type="button" className="button" onClick={pool.reload} disabled={pool.loading}>
          {pool.loading ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <Loaded state={pool} loading="Loading the pool…">
        {(status) => (
          <>
            <div className="cards">
              <Card title="Free">
                <p className="figure" data-testid="pool-free">
                  {status.free}
                </p>
                <p className="muted small">of {status.bindings} bindings</p>
              </Card>
              <Card title="Assigned">
                <p className="figure">{status.assigned}</p>
                <p className="muted small">serving a company</p>
              </Card>
              <Card title="Reserved">
                <p className="figure">{status.reserved}</p>
                <p className="muted small">held by a registration in progress</p>
              </Card>
              <Card title="Capacity used">
                <p className="figure">
                  {status.bindings > 0
                    ? Math.round(((status.bindings - status.free) / status.bindings) * 100)
                    : 100}
                  <span className="figure-of"> %</span>
                </p>
                {status.free === 0 && (
                  <p className="form-error">No database is free: new registrations fail.</p>
                )}
              </Card>
            </div>
            <section className="panel" aria-label="Databases">
              <div className="table-scroll">
                <table>
                  <caption className="visually-hidden">Tenant databases</caption>
                  <thead>
                    <tr>
                      <th scope="col">Binding</th>
                      <th scope="col">State</th>
                      <th scope="col">Company</th>
                      <th scope="col">Schema version</th>
                      <th scope="col">Database id</th>
                    </tr>
                  </thead>
                  <tbody>
                    {status.databases.map((database) => (
                      <tr key={database.binding_name}>
                        <th scope="row" className="mono">
                          {database.binding_name}
                        </th>
                        <td>
                          <span className={`badge ${STATUS_BADGE[database.status]}`}>{database.status}</span>
                        </td>
                        <td>
                          {database.company_id ? (
                            <Link href={companyPath(database.company_id)}>{database.company_id}</Link>
                          ) : (
                            <span className="muted">—</span>
                          )}
                        </td>
                        <td className="mono">{database.schema_version ?? "—"}</td>
                        <td className="mono small">{database.database_id ?? "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          </>
        )}
      </Loaded>
    </div>
  );
}
