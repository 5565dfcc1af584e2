// The fleet as a table: each machine links to its charts.
import type { Machine } from "@nexus/contracts";
import { Link } from "../../components/link.tsx";
import { formatDateTime, timeAgo } from "../../lib/format.ts";
import { useNow } from "../../lib/timing.ts";
import { HealthBadge, MachineStatusBadge, machineMetrics, Reading } from "./machine-health.tsx";
import { companyPath } from "./section.ts";

/** Header cells; `wide` ones give way at tablet width. */
const COLUMNS = [
  { name: "Machine" },
  { name: "Status" },
  { name: "Health" },
  { name: "Last values", wide: true },
  { name: "Last sample" },
];

export function FleetTable({
  companyId,
  machines,
  filtered,
}: {
  companyId: string;
  machines: Machine[];
  filtered: boolean;
}) {
  const now = useNow();
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">
          Machines{filtered ? " matching the filters" : ""}, worst health first
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column.name} scope="col" className={column.wide ? "wide-only" : undefined}>
                {column.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {machines.map((machine) => (
            <tr key={machine.id}>
              <th scope="row">
                <Link className="hostname" href={companyPath(companyId, "machines", machine.id)}>
                  {machine.name}
                </Link>
                <span className="muted small">{machine.type ?? "no type"}</span>
              </th>
              <td>
                <MachineStatusBadge status={machine.status} />
              </td>
              <td>
                <HealthBadge score={machine.health_score} />
              </td>
              <td className="wide-only">
                <ul className="last-values">
                  {machineMetrics(machine).map((metric) => (
                    <li key={metric}>
                      <span className="muted">{metric}</span> <Reading machine={machine} metric={metric} />
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <LastSample at={machine.last_sample_at} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** When a machine was last heard from, relative, with the exact time on hover. */
export function LastSample({ at, now }: { at: string | null; now: number }) {
  return at ? (
    <time dateTime={at} title={formatDateTime(at)}>
      {timeAgo(at, now)}
    </time>
  ) : (
    <span className="muted">never</span>
  );
}
