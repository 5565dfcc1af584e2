// Release health on a company's Releases screen: crash-free sessions and users per release of its
// error-tracking projects (the sessions their Sentry SDKs report), and crash-free sessions per day of
// the most recently active releases. Roles without errors:read see nothing of it.
import { NexusApiError } from "@nexus/client/errors";
import { type CompanyReleaseHealth, routes } from "@nexus/contracts";
import { useCallback } from "react";
import { EmptyState, Loaded } from "../../components/states.tsx";
import { TimeChart, type TimeSeries } from "../../components/time-chart.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAsync } from "../../lib/use-async.ts";
import { APP_LABELS, formatCount } from "./errors-data.ts";
import { BUCKET_MS } from "./llm-usage-series.ts";
import { formatDay } from "./releases-series.ts";
import "../../styles/errors.css";

/** How many releases the chart draws (the table lists every one). */
const CHARTED = 5;

export const formatPercent = (value: number | null): string =>
  value === null ? "–" : `${value.toFixed(value === 100 ? 0 : 2)} %`;

/** The chart's ticks and readings: whole percents without decimals ("80 %"). */
const chartPercent = (value: number): string =>
  Number.isInteger(value) ? `${value} %` : formatPercent(value);

/** Crash-free sessions per day of each release; days without sessions are gaps, not 100 %. */
export function crashFreeSeries(releases: readonly CompanyReleaseHealth[]): TimeSeries[] {
  return releases.slice(0, CHARTED).map((entry) => ({
    name: `${entry.release} (${entry.project_name})`,
    points: entry.days.flatMap((day) =>
      day.crash_free_sessions === null
        ? []
        : [{ t: Date.parse(`${day.day}T00:00:00Z`), v: day.crash_free_sessions }],
    ),
  }));
}

export function CompanyReleaseHealthPanel({ companyId }: { companyId: string }) {
  const health = useAsync(
    useCallback(
      async (signal: AbortSignal) =>
        (await callApi(routes.getCompanyReleaseHealth, { params: { companyId }, signal })).releases,
      [companyId],
    ),
  );
  // Release health belongs to error tracking: a role that may not read it gets the rest of the screen.
  if (health.error instanceof NexusApiError && health.error.status === 403) return null;
  return (
    <section className="panel release-health" aria-labelledby="release-health-heading">
      <h2 id="release-health-heading">Release health</h2>
      <p className="muted small">
        Crash-free sessions and users per release, from the sessions your apps' Sentry SDKs report to their
        DSN (Errors → DSNs).
      </p>
      <Loaded state={health} loading="Loading release health…">
        {(releases) =>
          releases.length === 0 ? (
            <EmptyState title="No sessions reported yet">
              <p>Release health appears once an app reports sessions with a release.</p>
            </EmptyState>
          ) : (
            <>
              <HealthTable releases={releases} />
              <HealthChart releases={releases} />
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function HealthTable({ releases }: { releases: readonly CompanyReleaseHealth[] }) {
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">
          Crash-free sessions and users per release, most recently active first
        </caption>
        <thead>
          <tr>
            <th scope="col">Release</th>
            <th scope="col" className="numeric">
              Crash-free sessions
            </th>
            <th scope="col" className="numeric">
              Crash-free users
            </th>
            <th scope="col" className="numeric">
              Sessions
            </th>
            <th scope="col" className="numeric wide-only">
              Errored
            </th>
            <th scope="col" className="numeric">
              Crashed
            </th>
            <th scope="col" className="numeric wide-only">
              Users
            </th>
            <th scope="col" className="wide-only">
              Last session
            </th>
          </tr>
        </thead>
        <tbody>
          {releases.map((entry) => (
            <tr key={`${entry.project_id} ${entry.release}`} data-testid="release-health-row">
              <th scope="row">
                <span className="mono">{entry.release}</span>
                <span className="muted small updates-block">
                  {entry.project_name} · {APP_LABELS[entry.app]}
                </span>
              </th>
              <td className="numeric">
                <strong>{formatPercent(entry.crash_free_sessions)}</strong>
              </td>
              <td className="numeric">{formatPercent(entry.crash_free_users)}</td>
              <td className="numeric">{formatCount(entry.sessions)}</td>
              <td className="numeric wide-only">{formatCount(entry.errored)}</td>
              <td className="numeric">{formatCount(entry.crashed)}</td>
              <td className="numeric wide-only">{formatCount(entry.users)}</td>
              <td className="wide-only small">{formatDateTime(entry.last_session_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HealthChart({ releases }: { releases: readonly CompanyReleaseHealth[] }) {
  const series = crashFreeSeries(releases);
  const days = releases[0]?.days ?? [];
  const first = days[0]?.day;
  const last = days[days.length - 1]?.day;
  if (!first || !last || series.every((line) => line.points.length === 0)) return null;
  return (
    <TimeChart
      label={`Crash-free sessions per day (percent) of the ${Math.min(CHARTED, releases.length)} most recently active releases, last 14 days`}
      series={series}
      from={Date.parse(`${first}T00:00:00Z`)}
      to={Date.parse(`${last}T00:00:00Z`) + BUCKET_MS.day}
      maxGapMs={BUCKET_MS.day}
      formatValue={chartPercent}
      formatTime={formatDay}
    />
  );
}
