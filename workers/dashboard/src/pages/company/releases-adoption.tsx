// Which app versions a company's installations run: now (a bar per version) and per day ("Update
// adoption"), both from one adoption answer (versionAdoption). On the overview and the Releases section.
import type { routes } from "@nexus/contracts";
import { Breakdown } from "../../components/breakdown.tsx";
import { Card } from "../../components/card.tsx";
import { Loaded } from "../../components/states.tsx";
import { TimeChart, type TimeSeries } from "../../components/time-chart.tsx";
import type { ResponseOf } from "../../lib/api.ts";
import type { AsyncState } from "../../lib/use-async.ts";
import { dayRange, formatDay, versionAdoption } from "./releases-series.ts";

export type Adoption = ResponseOf<typeof routes.appAdoption>;

/** The active installations per version they last reported, most used first (as the API orders them). */
export const versionCounts = (current: Adoption["current"]): { label: string; count: number }[] =>
  versionAdoption({ current, daily: [] }).versions;

export function VersionBreakdown({ adoption }: { adoption: AsyncState<Adoption> }) {
  return (
    <Loaded state={adoption} loading="Loading versions…">
      {(data) => {
        const { versions } = versionAdoption(data);
        return versions.length === 0 ? (
          <p className="muted">No installation has reported its version yet.</p>
        ) : (
          <Breakdown
            label="Installations by app version"
            rows={versions}
            total={versions.reduce((sum, row) => sum + row.count, 0)}
          />
        );
      }}
    </Loaded>
  );
}

export function UpdateAdoptionCard({ adoption, days }: { adoption: AsyncState<Adoption>; days: number }) {
  return (
    <Card title="Update adoption: installations per app version" className="adoption-card">
      <Loaded state={adoption} loading="Loading adoption…">
        {(data) => <AdoptionChart series={versionAdoption(data).series} days={days} />}
      </Loaded>
    </Card>
  );
}

function AdoptionChart({ series, days }: { series: TimeSeries[]; days: number }) {
  if (series.length === 0) {
    return <p className="muted">No installation has reported its version in the last {days} days.</p>;
  }
  const { from, to } = dayRange(days);
  return (
    <>
      <p className="muted small">
        Installations on each app version per day (UTC), last {days} days; today, the versions of the
        installations holding a seat
        {series.length === 1 ? `: all on ${series[0]?.name}` : ""}.
      </p>
      <TimeChart
        label={`Installations per app version per day, last ${days} days`}
        series={series}
        from={from}
        to={to}
        formatTime={formatDay}
        counts
      />
    </>
  );
}
