// The project's history, newest first and a page at a time: notes, calls, emails, site visits,
// check-ins with their position, and stage changes with who made them and why; and the form that
// adds to it.
import { type Activity, type ActivityType, type PipelineStage, type Project, routes } from "@nexus/contracts";
import { useCallback, useEffect, useId, useState } from "react";
import { Field, SelectField } from "../../components/field.tsx";
import { EmptyState, Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { usePagedList } from "../../lib/use-paged-list.ts";
import {
  activityLabel,
  actorLabel,
  describeStageChange,
  formatGps,
  gpsOf,
  openStreetMapUrl,
  stageChangeOf,
} from "./crm/activities.ts";
import { CompactError } from "./crm/compact-error.tsx";
import { LoadMore } from "./crm/load-more.tsx";
import { stageName } from "./crm/stages.ts";

const PAGE_SIZE = 20;

export function ProjectTimeline({
  companyId,
  project,
  stages,
  names,
  version,
  onLogged,
}: {
  companyId: string;
  project: Project;
  stages: readonly PipelineStage[];
  names: ReadonlyMap<string, string>;
  /** Changes when something outside added to the history (a stage move). */
  version: number;
  onLogged: () => void;
}) {
  const projectId = project.id;
  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listActivities, {
          params: { companyId, projectId },
          query: { limit: PAGE_SIZE, cursor },
          signal,
        });
        return { items: page.activities, nextCursor: page.next_cursor };
      },
      [companyId, projectId],
    ),
  );
  const { reload } = list;
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);

  const logged = () => {
    reload();
    onLogged();
  };

  return (
    <section className="panel" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <ActivityForm companyId={companyId} projectId={projectId} onLogged={logged} />
      <Loaded state={list} loading="Loading the history…">
        {() =>
          list.items.length === 0 ? (
            <EmptyState title="Nothing recorded yet" />
          ) : (
            <ol className="timeline" aria-label="History, newest first">
              {list.items.map((activity) => (
                <ActivityEntry
                  key={activity.id}
                  activity={activity}
                  names={names}
                  nameOf={(key) => stageName(stages, key)}
                />
              ))}
            </ol>
          )
        }
      </Loaded>
      <LoadMore list={list} label="Load older" className="load-more" />
    </section>
  );
}

function ActivityEntry({
  activity,
  names,
  nameOf,
}: {
  activity: Activity;
  names: ReadonlyMap<string, string>;
  nameOf: (stage: string) => string;
}) {
  const change = stageChangeOf(activity);
  const gps = gpsOf(activity);
  return (
    <li className={`timeline-entry timeline-${activity.type}`}>
      <p className="timeline-head">
        <span className="badge">{activityLabel(activity.type)}</span>
        {change && <strong>{describeStageChange(change, nameOf)}</strong>}
      </p>
      {activity.body &&
        (change ? (
          <p className="timeline-body">
            <span className="muted">Reason:</span> {activity.body}
          </p>
        ) : (
          <p className="timeline-body">{activity.body}</p>
        ))}
      {gps && (
        <p className="small">
          Position:{" "}
          <a href={openStreetMapUrl(gps)} target="_blank" rel="noopener noreferrer">
            {formatGps(gps)}
            <span className="visually-hidden"> (opens OpenStreetMap in a new tab)</span>
          </a>
        </p>
      )}
      <p className="muted small">
        {actorLabel(activity.actor, names)} ·{" "}
        <time dateTime={activity.occurred_at}>{formatDateTime(activity.occurred_at)}</time>
      </p>
    </li>
  );
}

type LoggedType = Exclude<ActivityType, "status_change">;
const LOGGED_TYPES: LoggedType[] = ["note", "call", "email", "site_visit", "check_in"];
const COORDINATES = [
  { key: "lat", label: "Latitude", limit: 90 },
  { key: "lng", label: "Longitude", limit: 180 },
] as const;

function ActivityForm({
  companyId,
  projectId,
  onLogged,
}: {
  companyId: string;
  projectId: string;
  onLogged: () => void;
}) {
  const [type, setType] = useState<LoggedType>("note");
  const [body, setBody] = useState("");
  const [position, setPosition] = useState({ lat: "", lng: "" });
  const bodyId = useId();
  const save = useAction(
    useCallback(async () => {
      await callApi(routes.createActivity, {
        params: { companyId, projectId },
        body: {
          type,
          ...(body.trim() ? { body: body.trim() } : {}),
          // The field app records a check-in's position itself; here it is typed in.
          ...(type === "check_in" ? { gps: { lat: Number(position.lat), lng: Number(position.lng) } } : {}),
        },
      });
      setBody("");
      onLogged();
    }, [companyId, projectId, type, body, position, onLogged]),
  );

  return (
    <form
      id="log-activity"
      className="activity-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save.run();
      }}
    >
      <h3>{type === "note" ? "Add a note" : "Log activity"}</h3>
      <div className="activity-fields">
        <SelectField
          label="Type"
          value={type}
          choices={LOGGED_TYPES.map((value) => ({ value, label: activityLabel(value) }))}
          onChange={(value) => setType(value as LoggedType)}
        />
        {type === "check_in" &&
          COORDINATES.map(({ key, label, limit }) => (
            <Field key={key} label={label}>
              {(id) => (
                <input
                  id={id}
                  type="number"
                  step="any"
                  min={-limit}
                  max={limit}
                  required
                  value={position[key]}
                  onChange={(event) => setPosition({ ...position, [key]: event.target.value })}
                />
              )}
            </Field>
          ))}
      </div>
      <div className="field">
        <label htmlFor={bodyId}>{type === "note" ? "Note" : "Details"}</label>
        <textarea
          id={bodyId}
          rows={3}
          maxLength={10_000}
          required={type === "note"}
          value={body}
          onChange={(event) => setBody(event.target.value)}
        />
      </div>
      {save.error !== undefined && <CompactError error={save.error} />}
      <div>
        <button type="submit" className="button button-primary" disabled={save.pending}>
          {save.pending
            ? "Saving…"
            : type === "note"
              ? "Add note"
              : `Log ${activityLabel(type).toLowerCase()}`}
        </button>
      </div>
    </form>
  );
}
