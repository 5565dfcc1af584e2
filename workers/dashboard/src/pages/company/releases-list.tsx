// The releases a company receives (every channel it may ask for and their parents), each with its
// rollout, how many of its installations run it, and this company's update checks and downloads;
// and those checks and downloads per day. One company-scoped route answers all of it; the section
// loads it once for this list and its cards.
import type { routes } from "@nexus/contracts";
import { EmptyState, Loaded } from "../../components/states.tsx";
import { TimeChart } from "../../components/time-chart.tsx";
import type { ResponseOf } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import type { AsyncState } from "../../lib/use-async.ts";
import { ReleaseRowCells } from "../platform/releases/release-summary.tsx";
import type { Adoption } from "./releases-adoption.tsx";
import { compareVersions, dayRange, formatDay, statsSeries, totalsBy } from "./releases-series.ts";

export type CompanyReleases = ResponseOf<typeof routes.listCompanyReleases>;

export function CompanyReleaseList({
  received,
  current,
  days,
}: {
  received: AsyncState<CompanyReleases>;
  current: Adoption["current"];
  days: number;
}) {
  const range = dayRange(days);
  const rows = received.data?.stats ?? [];
  const totals = totalsBy(rows, "release_id");
  const running = new Map(current.map((row) => [row.app_version, row.installations]));
  const pinned = received.data?.pinned_version ?? null;
  const series = statsSeries(rows);

  return (
    <>
      <section className="panel" aria-labelledby="received-releases-heading">
        <div className="panel-header">
          <h2 id="received-releases-heading">
            Releases{received.data ? ` on ${received.data.channels.join(", ")}` : ""}
          </h2>
        </div>
        <Loaded state={received} loading="Loading releases…">
          {({ releases: list }) =>
            list.length === 0 ? (
              <EmptyState title="No release published on these channels yet" />
            ) : (
              <div className="table-scroll">
                <table>
                  <caption className="visually-hidden">
                    Releases this company receives, newest version first
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Version</th>
                      <th scope="col">Status</th>
                      <th scope="col">Rollout</th>
                      <th scope="col">Installations on it</th>
                      <th scope="col">Checks ({days} days)</th>
                      <th scope="col">Downloads</th>
                      <th scope="col" className="wide-only">
                        Published
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((release) => {
                      const counts = totals.get(release.id);
                      const abovePin = pinned !== null && compareVersions(release.version, pinned) > 0;
                      return (
                        <tr key={release.id}>
                          <ReleaseRowCells
                            release={release}
                            linked={false}
                            subtitle={release.channel}
                            rolloutNote={abovePin && "Above the pin: not offered"}
                          />
                          <td>{running.get(release.version) ?? 0}</td>
                          <td>{counts?.checks ?? 0}</td>
                          <td>{`${counts?.downloads ?? 0} full, ${counts?.range_requests ?? 0} ranged`}</td>
                          <td className="wide-only">
                            {release.published_at ? formatDateTime(release.published_at) : "—"}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )
          }
        </Loaded>
      </section>

      <section className="panel" aria-labelledby="company-update-stats-heading">
        <h2 id="company-update-stats-heading">Update checks and downloads</h2>
        <Loaded state={received} loading="Loading update statistics…">
          {(data) =>
            data.stats.length === 0 ? (
              <p className="muted">
                No update check from this company's installations in the last {days} days.
              </p>
            ) : (
              <TimeChart
                label={`This company's update checks, full downloads and range requests per day, last ${days} days`}
                series={series}
                from={range.from}
                to={range.to}
                formatTime={formatDay}
                counts
              />
            )
          }
        </Loaded>
      </section>
    </>
  );
}
