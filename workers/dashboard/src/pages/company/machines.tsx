// The company's machines: the fleet worst first with its filters (in the address, so a filtered
// view can be linked), and under /machines/{machineId} one machine with its telemetry charts.
import { MACHINE_STATUSES, type Machine, routes } from "@nexus/contracts";
import { useCallback } from "react";
import { Breakdown } from "../../components/breakdown.tsx";
import { Card } from "../../components/card.tsx";
import { SelectField, TextField } from "../../components/field.tsx";
import { EmptyState, Loaded } from "../../components/states.tsx";
import { callApi, type ResponseOf } from "../../lib/api.ts";
import { capitalized } from "../../lib/format.ts";
import { navigate, useLocation } from "../../lib/router.ts";
import { useAsync } from "../../lib/use-async.ts";
import { MachineDetail } from "./machine-detail.tsx";
import { HEALTH_LABELS, type HealthLevel, healthLevel } from "./machine-health.tsx";
import { FleetTable } from "./machines-table.tsx";
import type { CompanySectionProps } from "./section.ts";
import "../../styles/telemetry.css";

export function MachinesSection({ company, rest }: CompanySectionProps) {
  const [machineId] = rest;
  return machineId ? (
    <MachineDetail key={machineId} companyId={company.id} machineId={machineId} />
  ) : (
    <Fleet companyId={company.id} />
  );
}

const HEALTH_LEVELS = Object.keys(HEALTH_LABELS) as HealthLevel[];
const STATUS_CHOICES = [
  { value: "" as const, label: "Any" },
  ...MACHINE_STATUSES.map((status) => ({ value: status, label: capitalized(status) })),
];
const HEALTH_CHOICES = [
  { value: "" as const, label: "Any" },
  ...HEALTH_LEVELS.map((level) => ({ value: level, label: HEALTH_LABELS[level] })),
];

interface FleetFilters {
  q: string;
  status: Machine["status"] | "";
  health: HealthLevel | "";
}
const NO_FILTERS: FleetFilters = { q: "", status: "", health: "" };

function parseFilters(search: string): FleetFilters {
  const params = new URLSearchParams(search);
  const status = params.get("status");
  const health = params.get("health");
  return {
    q: params.get("q") ?? "",
    status: MACHINE_STATUSES.find((candidate) => candidate === status) ?? "",
    health: HEALTH_LEVELS.find((candidate) => candidate === health) ?? "",
  };
}

function matches(machine: Machine, filters: FleetFilters): boolean {
  const q = filters.q.trim().toLowerCase();
  return (
    (!q || machine.name.toLowerCase().includes(q) || (machine.type ?? "").toLowerCase().includes(q)) &&
    (!filters.status || machine.status === filters.status) &&
    (!filters.health || healthLevel(machine.health_score) === filters.health)
  );
}

function Fleet({ companyId }: { companyId: string }) {
  const [path = "", search = ""] = useLocation().split("?");
  const filters = parseFilters(search);
  const fleet = useAsync(
    useCallback(
      (signal: AbortSignal) => callApi(routes.fleetSummary, { params: { companyId }, signal }),
      [companyId],
    ),
  );

  // Filters live in the address: replaced, not pushed, so typing does not fill the history.
  const setFilters = (change: Partial<FleetFilters>) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...filters, ...change })) if (value) next.set(key, value);
    const query = next.toString();
    navigate(query ? `${path}?${query}` : path, { replace: true });
  };
  const filtered = filters.q !== "" || filters.status !== "" || filters.health !== "";
  const clear = (
    <button type="button" className="button button-quiet" onClick={() => setFilters(NO_FILTERS)}>
      Clear filters
    </button>
  );

  return (
    <Loaded state={fleet} loading="Loading machines…">
      {(summary) => {
        const shown = summary.machines.filter((machine) => matches(machine, filters));
        return (
          <>
            <FleetCards summary={summary} />
            <section className="panel" aria-labelledby="fleet-heading">
              <div className="panel-header">
                <h2 id="fleet-heading">Fleet</h2>
                <span className="muted small" role="status">
                  {fleet.loading
                    ? "Updating…"
                    : `${shown.length} of ${summary.total} shown, worst health first`}
                </span>
                <button type="button" className="button button-quiet" onClick={fleet.reload}>
                  Refresh
                </button>
              </div>
              <search className="filters">
                <TextField
                  label="Search"
                  type="search"
                  value={filters.q}
                  placeholder="Name or type"
                  onChange={(event) => setFilters({ q: event.target.value })}
                />
                <SelectField
                  label="Status"
                  value={filters.status}
                  choices={STATUS_CHOICES}
                  onChange={(status) => setFilters({ status })}
                />
                <SelectField
                  label="Health"
                  value={filters.health}
                  choices={HEALTH_CHOICES}
                  onChange={(health) => setFilters({ health })}
                />
                {filtered && clear}
              </search>
              {summary.total === 0 ? (
                <EmptyState title="No machines yet">
                  <p>
                    Machines are added through the API (<span className="mono">POST …/machines</span>); their
                    telemetry appears here as it arrives.
                  </p>
                </EmptyState>
              ) : shown.length === 0 ? (
                <EmptyState title="No machine matches these filters">{clear}</EmptyState>
              ) : (
                <FleetTable companyId={companyId} machines={shown} filtered={filtered} />
              )}
            </section>
          </>
        );
      }}
    </Loaded>
  );
}

function FleetCards({ summary }: { summary: ResponseOf<typeof routes.fleetSummary> }) {
  const attention = summary.machines.filter((machine) =>
    ["warning", "critical"].includes(healthLevel(machine.health_score)),
  ).length;
  const statuses = MACHINE_STATUSES.map((status) => ({
    label: capitalized(status),
    count: summary.by_status[status] ?? 0,
  })).filter((row) => row.count > 0);
  return (
    <div className="cards">
      <Card title="Machines">
        <p className="figure">{summary.total}</p>
        <p className="muted small">in the fleet</p>
      </Card>
      <Card title="Average health">
        <p className="figure">
          {summary.average_health ?? "—"}
          {summary.average_health !== null && <span className="figure-of"> / 100</span>}
        </p>
        <p className="muted small">over machines that reported</p>
      </Card>
      <Card title="Need attention">
        <p className="figure">{attention}</p>
        <p className="muted small">with a value beyond its limits</p>
      </Card>
      <Card title="By status">
        {statuses.length === 0 ? (
          <p className="muted">No machines yet.</p>
        ) : (
          <Breakdown label="Machines by status" rows={statuses} total={summary.total} />
        )}
      </Card>
    </div>
  );
}
