// One audit log entry: a table row, and below it, when expanded, everything the entry records.
import type { routes } from "@nexus/contracts";
import { Fragment, useId } from "react";
import type { ResponseOf } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { ACTOR_LABELS } from "./audit-filters.tsx";

export type AuditEntry = ResponseOf<typeof routes.listAuditLog>["entries"][number];

const actorLabel = (type: string) => (ACTOR_LABELS as Record<string, string | undefined>)[type] ?? type;

/** How many columns the row has, for the details row to span. */
export const AUDIT_COLUMNS = 5;

export function AuditEntryRows({
  entry,
  actorName,
  expanded,
  onToggle,
  onFilter,
}: {
  entry: AuditEntry;
  /** The member's name when the actor is a user of this company. */
  actorName: string | undefined;
  expanded: boolean;
  onToggle: () => void;
  /** Narrows the log to this entry's action or actor. */
  onFilter: (change: { action: string } | { actor_type: string; actor_id: string }) => void;
}) {
  const detailsId = useId();
  return (
    <Fragment>
      <tr>
        <td>
          <time dateTime={entry.created_at}>{formatDateTime(entry.created_at)}</time>
        </td>
        <th scope="row" className="mono">
          {entry.action}
        </th>
        <td>
          {actorLabel(entry.actor_type)}
          {actorName && <span className="hostname">{actorName}</span>}
          {entry.actor_id && <span className="muted small mono hostname">{entry.actor_id}</span>}
        </td>
        <td className="wide-only">
          {entry.target_type ?? <span className="muted">—</span>}
          {entry.target_id && <span className="muted small mono hostname">{entry.target_id}</span>}
        </td>
        <td>
          <button
            type="button"
            className="button button-quiet expand-button"
            aria-expanded={expanded}
            aria-controls={expanded ? detailsId : undefined}
            aria-label={`${expanded ? "Hide" : "Show"} details of ${entry.action} at ${formatDateTime(entry.created_at)}`}
            onClick={onToggle}
          >
            {expanded ? "Hide" : "Details"}
          </button>
        </td>
      </tr>
      {expanded && (
        <tr className="audit-details-row" id={detailsId}>
          <td colSpan={AUDIT_COLUMNS}>
            <AuditDetails entry={entry} onFilter={onFilter} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}

function AuditDetails({
  entry,
  onFilter,
}: {
  entry: AuditEntry;
  onFilter: (change: { action: string } | { actor_type: string; actor_id: string }) => void;
}) {
  const facts: [string, string | null][] = [
    ["Time", `${formatDateTime(entry.created_at)} (${entry.created_at})`],
    ["Actor", `${actorLabel(entry.actor_type)}${entry.actor_id ? ` ${entry.actor_id}` : ""}`],
    ["Target", entry.target_type ? `${entry.target_type} ${entry.target_id ?? ""}`.trim() : null],
    ["IP address", entry.ip_address],
    ["User agent", entry.user_agent],
    ["Request id", entry.request_id],
    ["Entry id", entry.id],
  ];
  return (
    <div className="audit-details">
      <dl>
        {facts.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd className={label.endsWith("id") ? "mono" : undefined}>{value ?? "—"}</dd>
          </Fragment>
        ))}
      </dl>
      <div>
        <h3 className="small">Details</h3>
        {entry.details && Object.keys(entry.details).length > 0 ? (
          <pre>{JSON.stringify(entry.details, null, 2)}</pre>
        ) : (
          <p className="muted">None recorded.</p>
        )}
      </div>
      <div className="state-actions">
        <button
          type="button"
          className="button button-quiet"
          onClick={() => onFilter({ action: entry.action })}
        >
          Only “{entry.action}”
        </button>
        {entry.actor_id && (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => onFilter({ actor_type: entry.actor_type, actor_id: entry.actor_id ?? "" })}
          >
            Only this actor
          </button>
        )}
      </div>
    </div>
  );
}
