// Which app versions a company's installations run: now (a bar per version) and per day ("Update
// adoption", from the adoption route's `daily` rows). Shown on the overview and the Releases section.
import type { routes } from "@nexus/contracts";
import { Breakdown } from "../../components/breakdown.tsx";
import { Card } from "../../components/card.tsx";
import { Loaded } from "../../components/states.tsx";
import { TimeChart } from "../../components/time-chart.tsx";
import type { ResponseOf } from "../../lib/api.ts";
import type { AsyncState } from "../../lib/use-async.ts";
import { adoptionSeries, dayRange, formatDay } from "./releases-series.ts";

export type Adoption = ResponseOf<typeof routes.appAdoption>;

/** The active installations per version they last reported, most used first (as the API orders them). */
export const versionCounts = (current: Adoption["current"]): { label: string; count: number }[] =>
  current.map((row) => ({ label: row.app_version ?? "unknown", count: row.installations }));

export function VersionBreakdown({ adoption }: { adoption: AsyncState<Adoption> }) {
  return (
    <Loaded state={adoption} loading="Loading versions…">
      {(data) => {
        const rows = versionCounts(data.current);
        return rows.length === 0 ? (
          <p className="muted">No versions reported yet.</p>
        ) : (
          <Breakdown
            label="Installations by app version"
            rows={rows}
            total={rows.reduce((sum, row) => sum + row.count, 0)}
          />
        );
      }}
    </Loaded>
  );
}

export function UpdateAdoptionCard({ adoption, days }: { adoption: AsyncState<Adoption>; days: number }) {
  return (
    <Card title="Update adoption" className="adoption-card">
      <Loaded state={adoption} loading="Loading adoption…">
        {(data) => <AdoptionChart daily={data.daily} days={days} />}
      </Loaded>
    </Card>
  );
}

function AdoptionChart({ daily, days }: { daily: Adoption["daily"]; days: number }) {
  const series = adoptionSeries(daily);
  if (series.length === 0) {
    return <p className="muted">No installation has reported its version in the last {days} days.</p>;
  }
  const { from, to } = dayRange(days);
  return (
    <>
      <p className="muted small">
        Installations seen on each app version per day (UTC), last {days} days
        {series.length === 1 ? `: all on ${series[0]?.name}` : ""}.
      </p>
      <TimeChart
        label={`Installations per app version per day, last ${days} days`}
        series={series}
        from={from}
        to={to}
        formatTime={formatDay}
      />
    </>
  );
}
