// A release's update checks, full downloads and range requests per day over every company,
// and per company how often it checked and how many of its installations run the version (from the
// company's adoption figures; only for the companies that checked, which are the ones it reaches).
import { type Release, routes } from "@nexus/contracts";
import { useCallback } from "react";
import { Link } from "../../../components/link.tsx";
import { Loaded } from "../../../components/states.tsx";
import { TimeChart } from "../../../components/time-chart.tsx";
import { callApi } from "../../../lib/api.ts";
import { useAsync } from "../../../lib/use-async.ts";
import {
  dayRange,
  formatDay,
  statsSeries,
  totalsBy,
  type UpdateCounts,
} from "../../company/releases-series.ts";
import { companyPath } from "../../company/section.ts";

const DAYS = 30;
/** Each company row asks two more questions of the API; beyond this many the table stops. */
const MAX_COMPANY_ROWS = 20;

export function ReleaseStats({ release }: { release: Release }) {
  const range = dayRange(DAYS);
  const stats = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.updateStats, { query: { release_id: release.id, from: range.fromDay }, signal }),
      [release.id, range.fromDay],
    ),
  );
  return (
    <section className="panel" aria-labelledby="release-stats-heading">
      <h2 id="release-stats-heading">Update checks and downloads</h2>
      <Loaded state={stats} loading="Loading update statistics…">
        {(data) => {
          if (data.rows.length === 0) {
            return (
              <p className="muted">
                No installation has checked for {release.version} in the last {DAYS} days.
              </p>
            );
          }
          const companies = [...totalsBy(data.rows, "company_id")].sort((a, b) => b[1].checks - a[1].checks);
          return (
            <>
              <TimeChart
                label={`Update checks, full downloads and range requests for ${release.version} per day, last ${DAYS} days`}
                series={statsSeries(data.rows)}
                from={range.from}
                to={range.to}
                formatTime={formatDay}
                counts
              />
              <div className="table-scroll">
                <table>
                  <caption>
                    Companies whose installations checked for {release.version}, last {DAYS} days
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Company</th>
                      <th scope="col">Checks</th>
                      <th scope="col">Downloads</th>
                      <th scope="col">Installations on {release.version}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {companies.slice(0, MAX_COMPANY_ROWS).map(([companyId, counts]) => (
                      <CompanyRow
                        key={companyId}
                        companyId={companyId}
                        counts={counts}
                        version={release.version}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
              {companies.length > MAX_COMPANY_ROWS && (
                <p className="muted small">
                  And {companies.length - MAX_COMPANY_ROWS} more companies with fewer checks.
                </p>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function CompanyRow({
  companyId,
  counts,
  version,
}: {
  companyId: string;
  counts: UpdateCounts;
  version: string;
}) {
  const company = useAsync(
    useCallback(
      (signal: AbortSignal) => callApi(routes.getCompany, { params: { companyId }, signal }),
      [companyId],
    ),
  );
  const adoption = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.appAdoption, { params: { companyId }, query: { days: 1 }, signal }),
      [companyId],
    ),
  );
  const running = adoption.data?.current.find((row) => row.app_version === version)?.installations ?? 0;
  return (
    <tr>
      <th scope="row">
        <Link href={companyPath(companyId, "releases")}>
          {company.data?.company.company_name ?? companyId}
        </Link>
      </th>
      <td>{counts.checks}</td>
      <td>
        {counts.downloads} full, {counts.range_requests} ranged
      </td>
      <td>
        {adoption.error !== undefined ? (
          <span className="muted" title="The company's adoption figures could not be loaded">
            unknown
          </span>
        ) : adoption.data ? (
          running
        ) : (
          "…"
        )}
      </td>
    </tr>
  );
}
