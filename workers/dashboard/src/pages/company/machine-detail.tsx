// One machine: what it is, its last value per metric against the limits, and its telemetry chart.
import { type Machine, routes } from "@nexus/contracts";
import { useCallback } from "react";
import { Link } from "../../components/link.tsx";
import { EmptyState, ErrorState, Loading } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useLocation } from "../../lib/router.ts";
import { chartQueryString, parseChartQuery } from "../../lib/telemetry-range.ts";
import { useNow } from "../../lib/timing.ts";
import { useAsync } from "../../lib/use-async.ts";
import { MachineChart } from "./machine-chart.tsx";
import { HealthBadge, MachineStatusBadge, machineMetrics, metricLimits, Reading } from "./machine-health.tsx";
import { LastSample } from "./machines-table.tsx";
import { companyPath } from "./section.ts";

export function MachineDetail({ companyId, machineId }: { companyId: string; machineId: string }) {
  const machine = useAsync(
    useCallback(
      (signal: AbortSignal) => callApi(routes.getMachine, { params: { companyId, machineId }, signal }),
      [companyId, machineId],
    ),
  );
  const fleetPath = companyPath(companyId, "machines");
  const name = machine.data?.machine.name;

  return (
    <>
      <nav aria-label="Breadcrumb">
        <ol className="breadcrumbs">
          <li>
            <Link href={fleetPath}>Machines</Link>
          </li>
          <li aria-current="page">{name ?? "Machine"}</li>
        </ol>
      </nav>
      {machine.error !== undefined ? (
        <ErrorState error={machine.error} onRetry={machine.reload}>
          <Link className="button button-quiet" href={fleetPath}>
            Back to the machines
          </Link>
        </ErrorState>
      ) : machine.data === undefined ? (
        <Loading label="Loading machine…" />
      ) : (
        <MachineView companyId={companyId} machine={machine.data.machine} />
      )}
    </>
  );
}

function MachineView({ companyId, machine }: { companyId: string; machine: Machine }) {
  const now = useNow();
  const [path = "", search = ""] = useLocation().split("?");
  const metrics = machineMetrics(machine);
  const chart = parseChartQuery(search, now);
  const chartMetric = chart.metric ?? metrics[0];

  return (
    <>
      <section className="panel" aria-labelledby="machine-heading">
        <div className="machine-header">
          <h2 id="machine-heading">{machine.name}</h2>
          <MachineStatusBadge status={machine.status} />
          <HealthBadge score={machine.health_score} />
        </div>
        <dl className="facts small">
          <div>
            <dt>Type</dt>
            <dd>{machine.type ?? "—"}</dd>
          </div>
          <div>
            <dt>Last sample</dt>
            <dd>
              <LastSample at={machine.last_sample_at} now={now} />
            </dd>
          </div>
          {machine.grid_x !== null && machine.grid_y !== null && (
            <div>
              <dt>Floor position</dt>
              <dd>
                {machine.grid_x}, {machine.grid_y}
              </dd>
            </div>
          )}
          <div>
            <dt>Added</dt>
            <dd>{formatDateTime(machine.created_at)}</dd>
          </div>
        </dl>
      </section>

      {metrics.length > 0 && (
        <ul className="metric-cards" aria-label="Last values">
          {metrics.map((metric) => (
            <li key={metric} className="card">
              <h3 className="small">
                {/* Charts this metric, keeping the range the address has. */}
                <Link
                  href={`${path}?${chartQueryString(metric, chart.range, search)}`}
                  aria-current={metric === chartMetric ? "true" : undefined}
                >
                  {metric}
                </Link>
              </h3>
              <p className="figure">
                <Reading machine={machine} metric={metric} />
              </p>
              <p className="muted small">
                {metricLimits(machine.thresholds, metric)
                  .map((limit) => limit.label.toLowerCase())
                  .join(", ") || "no limits set"}
              </p>
            </li>
          ))}
        </ul>
      )}

      {chartMetric ? (
        <MachineChart companyId={companyId} machine={machine} metrics={metrics} defaultMetric={chartMetric} />
      ) : (
        <section className="panel">
          <EmptyState title="No telemetry yet">
            <p>This machine has not sent any samples. Its charts appear once it does.</p>
          </EmptyState>
        </section>
      )}
    </>
  );
}
