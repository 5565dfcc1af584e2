// One audit log entry: a table row naming who acted on what (the API's labels, the raw ids only when
// nothing could be named), and below it, when expanded, what changed and everything else recorded.
import type { routes } from "@nexus/contracts";
import { Fragment, useId } from "react";
import { Link } from "../../components/link.tsx";
import type { ResponseOf } from "../../lib/api.ts";
import { readAuditDetails } from "../../lib/audit-changes.ts";
import { formatDateTime } from "../../lib/format.ts";
import { ACTOR_LABELS } from "./audit-filters.tsx";
import { auditTargetPath, targetKind } from "./audit-target.ts";

export type AuditEntry = ResponseOf<typeof routes.listAuditLog>["entries"][number];

const actorKind = (type: string) => (ACTOR_LABELS as Record<string, string | undefined>)[type] ?? type;

/** The actor's kind, when their label is a bare name ("host-01") rather than "API key 'ci'". */
function actorKindLine(entry: AuditEntry): string | undefined {
  const kind = actorKind(entry.actor_type);
  return entry.actor_label && !entry.actor_label.startsWith(kind) ? kind : undefined;
}

/** Who acted, in words: their name and kind, or only the kind when they could not be named. */
const actorText = (entry: AuditEntry) =>
  entry.actor_label
    ? [entry.actor_label, actorKindLine(entry)].filter(Boolean).join(" — ")
    : actorKind(entry.actor_type);

/** How many columns the row has, for the details row to span. */
export const AUDIT_COLUMNS = 5;

export function AuditEntryRows({
  entry,
  companyId,
  expanded,
  onToggle,
  onFilter,
}: {
  entry: AuditEntry;
  companyId: string;
  expanded: boolean;
  onToggle: () => void;
  /** Narrows the log to this entry's action or actor. */
  onFilter: (change: { action: string } | { actor_type: string; actor_id: string }) => void;
}) {
  const detailsId = useId();
  const actorKindShown = actorKindLine(entry);
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
          {entry.actor_label ?? actorKind(entry.actor_type)}
          {actorKindShown && <span className="muted small hostname">{actorKindShown}</span>}
          {!entry.actor_label && entry.actor_id && (
            <span className="muted small mono hostname">{entry.actor_id}</span>
          )}
        </td>
        <td className="wide-only">
          <AuditTarget entry={entry} companyId={companyId} />
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

/** The target by name, linked to its screen; its kind below. Unnamed: the kind and raw id. */
function AuditTarget({ entry, companyId }: { entry: AuditEntry; companyId: string }) {
  if (!entry.target_type) return <span className="muted">—</span>;
  const kind = targetKind(entry.target_type);
  const path = auditTargetPath(companyId, entry);
  const name = entry.target_label ?? kind;
  return (
    <>
      {path ? <Link href={path}>{name}</Link> : name}
      {entry.target_label ? (
        <span className="muted small hostname">{kind}</span>
      ) : (
        entry.target_id && <span className="muted small mono hostname">{entry.target_id}</span>
      )}
    </>
  );
}

function AuditDetails({
  entry,
  onFilter,
}: {
  entry: AuditEntry;
  onFilter: (change: { action: string } | { actor_type: string; actor_id: string }) => void;
}) {
  const target = entry.target_type
    ? (entry.target_label ? `${entry.target_label} — ` : "") + targetKind(entry.target_type)
    : null;
  // The raw ids stay visible here, labelled as ids: they are what the actor id filter takes.
  const facts: [string, string | null][] = [
    ["Time", `${formatDateTime(entry.created_at)} (${entry.created_at})`],
    ["Actor", actorText(entry)],
    ["Actor id", entry.actor_id],
    ["Target", target],
    ["Target id", entry.target_id],
    ["IP address", entry.ip_address],
    ["User agent", entry.user_agent],
    ["Request id", entry.request_id],
    ["Entry id", entry.id],
  ];
  const { changed, newValues, facts: recorded } = readAuditDetails(entry.action, entry.details);
  const nothing = changed.length === 0 && newValues.length === 0 && recorded.length === 0;
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
        {changed.length > 0 && (
          <table className="audit-changes">
            <caption className="small">What changed</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {changed.map((change) => (
                <tr key={change.field}>
                  <th scope="row" className="mono">
                    {change.field}
                  </th>
                  <td>
                    {change.before === undefined ? (
                      <span className="muted">not set</span>
                    ) : (
                      <del>{change.before}</del>
                    )}
                  </td>
                  <td>
                    {change.after === undefined ? (
                      <span className="muted">removed</span>
                    ) : (
                      <ins>{change.after}</ins>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {newValues.length > 0 && (
          <ValueList title="New values (the earlier values were not recorded)" values={newValues} />
        )}
        {recorded.length > 0 && <ValueList title="Details" values={recorded} />}
        {nothing && (
          <>
            <h3 className="small">Details</h3>
            <p className="muted">None recorded.</p>
          </>
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

function ValueList({ title, values }: { title: string; values: [string, string][] }) {
  return (
    <>
      <h3 className="small">{title}</h3>
      <dl className="audit-values">
        {values.map(([field, value]) => (
          <Fragment key={field}>
            <dt className="mono">{field}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
    </>
  );
}
