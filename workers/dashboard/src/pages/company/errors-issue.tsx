// One issue: what it is and where it happens, its state and the actions on it (resolve — now or in a
// release —, ignore, reopen: errors:manage), occurrences over the last 14 days, the releases it occurs
// in, its most common tag values, and its events — the latest shown in full (stack trace,
// breadcrumbs, tags, user), any other on demand.
import { type ErrorProject, routes, type UpdateErrorIssueRequest } from "@nexus/contracts";
import { type FormEvent, useCallback, useState } from "react";
import { Breakdown } from "../../components/breakdown.tsx";
import { Card } from "../../components/card.tsx";
import { SelectField, TextField } from "../../components/field.tsx";
import { Link } from "../../components/link.tsx";
import { PagedTable } from "../../components/paged-table.tsx";
import { EmptyState, ErrorState, Loading } from "../../components/states.tsx";
import { TimeChart } from "../../components/time-chart.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime, timeAgo } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { useAsync } from "../../lib/use-async.ts";
import { usePagedList } from "../../lib/use-paged-list.ts";
import {
  type ErrorEventView,
  type ErrorIssueDetailView,
  type ErrorIssueView,
  errorsPath,
  formatCount,
  projectName,
  STATUS_LABELS,
} from "./errors-data.ts";
import { LevelBadge } from "./errors-issues.tsx";
import { Breadcrumbs, EventStack, KeyValues, userEntries } from "./errors-stack.tsx";
import { axisLabel, BUCKET_MS, bucketLabel } from "./llm-usage-series.ts";

const EVENTS_PAGE = 20;

export function ErrorIssuePage({
  companyId,
  issueId,
  projects,
  manage,
}: {
  companyId: string;
  issueId: string;
  projects: readonly ErrorProject[] | undefined;
  manage: boolean;
}) {
  const state = useAsync(
    useCallback(
      (signal: AbortSignal) => callApi(routes.getErrorIssue, { params: { companyId, issueId }, signal }),
      [companyId, issueId],
    ),
  );
  const [shownEvent, setShownEvent] = useState<ErrorEventView>();
  const back = (
    <p className="muted small">
      <Link href={errorsPath(companyId)}>Issues</Link> /
    </p>
  );
  if (state.error !== undefined && !state.data) {
    return (
      <section className="panel">
        {back}
        <ErrorState error={state.error} onRetry={state.reload}>
          <Link className="button button-quiet" href={errorsPath(companyId)}>
            Back to the issues
          </Link>
        </ErrorState>
      </section>
    );
  }
  if (!state.data) return <Loading label="Loading the issue…" />;
  const detail = state.data;
  const { issue } = detail;
  const event = shownEvent ?? detail.latest_event ?? undefined;
  const now = Date.now();

  return (
    <>
      <section className="panel errors-issue-header" aria-labelledby="error-issue-heading">
        {back}
        <h2 id="error-issue-heading" className="errors-issue-heading">
          {issue.title}
        </h2>
        <p className="errors-issue-meta">
          <LevelBadge level={issue.level} />
          <span className={`badge errors-status errors-status-${issue.status}`} data-testid="issue-status">
            {STATUS_LABELS[issue.status]}
            {issue.status === "resolved" && issue.resolved_in_release
              ? ` in ${issue.resolved_in_release}`
              : ""}
          </span>
          <span className="mono small">{issue.culprit ?? "No culprit"}</span>
          <span className="muted small">
            {projectName(projects, issue.project_id)} · {issue.platform}
          </span>
        </p>
        {issue.regressed_at && issue.status === "unresolved" && (
          <p className="errors-regressed" role="note">
            Regressed {formatDateTime(issue.regressed_at)}: it happened again after it was resolved.
          </p>
        )}
        {state.error !== undefined && <ErrorState error={state.error} onRetry={state.reload} />}
        {manage && <IssueActions companyId={companyId} issue={issue} onChanged={state.reload} />}
      </section>

      <div className="cards">
        <Card title="Events">
          <p className="figure" data-testid="issue-events">
            {formatCount(issue.times_seen)}
          </p>
        </Card>
        <Card title="Users">
          <p className="figure" data-testid="issue-users">
            {formatCount(issue.users_seen)}
          </p>
        </Card>
        <Card title="First seen">
          <p className="errors-when" title={formatDateTime(issue.first_seen)}>
            {timeAgo(issue.first_seen, now)}
          </p>
          <p className="muted small">{issue.first_release ? `in ${issue.first_release}` : "No release"}</p>
        </Card>
        <Card title="Last seen">
          <p className="errors-when" title={formatDateTime(issue.last_seen)}>
            {timeAgo(issue.last_seen, now)}
          </p>
          <p className="muted small">{issue.last_release ? `in ${issue.last_release}` : "No release"}</p>
        </Card>
      </div>

      <Occurrences occurrences={detail.occurrences} />

      <section className="panel" aria-labelledby="error-event-heading">
        <div className="panel-header">
          <h2 id="error-event-heading">{shownEvent ? "Event" : "Latest event"}</h2>
          {event && (
            <span className="muted small">
              {formatDateTime(event.occurred_at)} · {event.release ?? "no release"}
              {event.environment ? ` · ${event.environment}` : ""} ·{" "}
              <span className="mono">{event.event_id}</span>
            </span>
          )}
          {shownEvent && (
            <button
              type="button"
              className="button button-quiet panel-action"
              onClick={() => setShownEvent(undefined)}
            >
              Show the latest
            </button>
          )}
        </div>
        {event ? (
          <EventDetails event={event} />
        ) : (
          <EmptyState title="No stored event">
            <p>Events are kept for 90 days; the counts remain.</p>
          </EmptyState>
        )}
      </section>

      <div className="errors-columns">
        <IssueReleases releases={detail.releases} />
        <TagSummary detail={detail} />
      </div>

      <EventList
        companyId={companyId}
        issueId={issueId}
        shown={event?.event_id}
        onShow={(chosen) => {
          setShownEvent(chosen);
          document.getElementById("error-event-heading")?.scrollIntoView({ block: "start" });
        }}
      />
    </>
  );
}

function EventDetails({ event }: { event: ErrorEventView }) {
  const { data } = event;
  const tags = Object.entries(data.tags).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="errors-event">
      {data.exceptions.length > 0 ? (
        <EventStack event={data} />
      ) : (
        <p className="errors-message">{data.message ?? "No message"}</p>
      )}
      <Breadcrumbs breadcrumbs={data.breadcrumbs} />
      <div className="errors-columns">
        <KeyValues title="Tags" entries={tags} />
        <KeyValues title="User" entries={userEntries(data.user)} />
        <KeyValues
          title="Sent by"
          entries={[
            ...(data.sdk ? [["SDK", `${data.sdk.name} ${data.sdk.version}`] as [string, string]] : []),
            ...(data.server_name ? [["Server", data.server_name] as [string, string]] : []),
            ...(data.logger ? [["Logger", data.logger] as [string, string]] : []),
            ...(data.transaction ? [["Transaction", data.transaction] as [string, string]] : []),
          ]}
        />
      </div>
    </div>
  );
}

type Resolution = "hour" | "day";

function Occurrences({ occurrences }: { occurrences: ErrorIssueDetailView["occurrences"] }) {
  const [bucket, setBucket] = useState<Resolution>("day");
  const buckets = bucket === "day" ? occurrences.daily : occurrences.hourly;
  const points = buckets.map((entry) => ({ t: Date.parse(entry.start), v: entry.count }));
  const from = points[0]?.t ?? Date.now() - 14 * BUCKET_MS.day;
  const to = (points[points.length - 1]?.t ?? Date.now()) + BUCKET_MS[bucket];
  return (
    <section className="panel" aria-labelledby="error-occurrences-heading">
      <div className="panel-header">
        <h2 id="error-occurrences-heading">Occurrences</h2>
        <div className="panel-action">
          <SelectField
            label="Per"
            value={bucket}
            choices={[
              { value: "day", label: "Day" },
              { value: "hour", label: "Hour" },
            ]}
            onChange={setBucket}
          />
        </div>
      </div>
      <TimeChart
        label={`Events ${bucket === "day" ? "per day" : "per hour"}, last 14 days`}
        series={[{ name: "Events", points }]}
        from={from}
        to={to}
        counts
        formatValue={formatCount}
        formatTime={axisLabel(bucket)}
        formatFullTime={bucketLabel(bucket)}
      />
    </section>
  );
}

function IssueReleases({ releases }: { releases: ErrorIssueDetailView["releases"] }) {
  return (
    <section className="panel" aria-labelledby="error-releases-heading">
      <h2 id="error-releases-heading">Releases</h2>
      {releases.length === 0 ? (
        <p className="muted">The events carried no release.</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table">
            <caption className="visually-hidden">
              The releases the issue occurs in, most recently seen first
            </caption>
            <thead>
              <tr>
                <th scope="col">Release</th>
                <th scope="col" className="numeric">
                  Events
                </th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {releases.map((release) => (
                <tr key={release.release}>
                  <th scope="row" className="mono">
                    {release.release}
                  </th>
                  <td className="numeric">{formatCount(release.times_seen)}</td>
                  <td className="small">{formatDateTime(release.first_seen)}</td>
                  <td className="small">{formatDateTime(release.last_seen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function TagSummary({ detail }: { detail: ErrorIssueDetailView }) {
  return (
    <section className="panel" aria-labelledby="error-tags-heading">
      <h2 id="error-tags-heading">Tags</h2>
      {detail.tags.length === 0 ? (
        <p className="muted">No tags.</p>
      ) : (
        <>
          <p className="muted small">
            Over the {formatCount(detail.tags_sample_size)} most recent{" "}
            {detail.tags_sample_size === 1 ? "event" : "events"}.
          </p>
          {detail.tags.map((tag) => (
            <div key={tag.key} className="errors-tag">
              <h3 className="mono">{tag.key}</h3>
              <Breakdown
                label={`Values of ${tag.key}`}
                total={tag.total}
                rows={tag.values.map((value) => ({ label: value.value, count: value.count }))}
              />
            </div>
          ))}
        </>
      )}
    </section>
  );
}

function IssueActions({
  companyId,
  issue,
  onChanged,
}: {
  companyId: string;
  issue: ErrorIssueView;
  onChanged: () => void;
}) {
  const [done, setDone] = useState<string>();
  const [inRelease, setInRelease] = useState<string>();
  const change = useAction(
    useCallback(
      async (body: UpdateErrorIssueRequest, said: string) => {
        await callApi(routes.updateErrorIssue, { params: { companyId, issueId: issue.id }, body });
        setInRelease(undefined);
        setDone(said);
        onChanged();
      },
      [companyId, issue.id, onChanged],
    ),
  );
  const submitRelease = (event: FormEvent) => {
    event.preventDefault();
    const release = inRelease?.trim() ?? "";
    if (!release) return;
    void change.run(
      { status: "resolved", resolved_in_release: release },
      `Resolved in ${release}: an event from that release or a later one reopens it.`,
    );
  };

  return (
    <div className="errors-actions">
      {issue.status === "unresolved" ? (
        <div className="errors-action-buttons">
          <button
            type="button"
            className="button button-primary"
            disabled={change.pending}
            onClick={() => void change.run({ status: "resolved" }, "Resolved: any new event reopens it.")}
          >
            Resolve
          </button>
          <button
            type="button"
            className="button"
            aria-expanded={inRelease !== undefined}
            onClick={() => setInRelease(inRelease === undefined ? (issue.last_release ?? "") : undefined)}
          >
            Resolve in a release…
          </button>
          <button
            type="button"
            className="button button-quiet"
            disabled={change.pending}
            onClick={() =>
              void change.run({ status: "ignored" }, "Ignored: new events are counted but never reopen it.")
            }
          >
            Ignore
          </button>
        </div>
      ) : (
        <div className="errors-action-buttons">
          <button
            type="button"
            className="button"
            disabled={change.pending}
            onClick={() => void change.run({ status: "unresolved" }, "Reopened.")}
          >
            Reopen
          </button>
        </div>
      )}
      {inRelease !== undefined && issue.status === "unresolved" && (
        <form className="filters" aria-label="Resolve in a release" onSubmit={submitRelease}>
          <TextField
            label="Fixed in release"
            value={inRelease}
            required
            maxLength={200}
            placeholder="desktop@1.4.3"
            autoFocus
            onChange={(event) => setInRelease(event.target.value)}
          />
          <button type="submit" className="button button-primary" disabled={change.pending}>
            Resolve in this release
          </button>
          <button type="button" className="button button-quiet" onClick={() => setInRelease(undefined)}>
            Cancel
          </button>
        </form>
      )}
      <p className="muted small errors-status-line" role="status">
        {done}
      </p>
      {change.error !== undefined && <ErrorState error={change.error} />}
    </div>
  );
}

function EventList({
  companyId,
  issueId,
  shown,
  onShow,
}: {
  companyId: string;
  issueId: string;
  shown: string | undefined;
  onShow: (event: ErrorEventView) => void;
}) {
  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listErrorEvents, {
          params: { companyId, issueId },
          query: { limit: EVENTS_PAGE, cursor },
          signal,
        });
        return { items: page.events, nextCursor: page.next_cursor };
      },
      [companyId, issueId],
    ),
  );
  return (
    <section className="panel" aria-labelledby="error-events-heading">
      <h2 id="error-events-heading">Events</h2>
      <PagedTable
        list={list}
        caption="The issue's stored events, newest first"
        loading="Loading events…"
        columns={
          <>
            <th scope="col">When</th>
            <th scope="col">Release</th>
            <th scope="col" className="wide-only">
              Environment
            </th>
            <th scope="col">User</th>
            <th scope="col">Message</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </>
        }
        empty={<EmptyState title="No stored events" />}
        row={(event: ErrorEventView) => {
          const exception = event.data.exceptions[event.data.exceptions.length - 1];
          const user = event.data.user;
          return (
            <tr
              key={event.event_id}
              data-testid="error-event-row"
              aria-current={event.event_id === shown ? "true" : undefined}
            >
              <th scope="row" className="small">
                {formatDateTime(event.occurred_at)}
              </th>
              <td className="mono small">{event.release ?? ""}</td>
              <td className="wide-only small">{event.environment ?? ""}</td>
              <td className="small">{user?.email ?? user?.username ?? user?.id ?? user?.ip_address ?? ""}</td>
              <td className="errors-event-message">
                {exception?.value ?? event.data.message ?? exception?.type ?? ""}
              </td>
              <td>
                <button type="button" className="button button-quiet" onClick={() => onShow(event)}>
                  Show
                  <span className="visually-hidden"> the event of {formatDateTime(event.occurred_at)}</span>
                </button>
              </td>
            </tr>
          );
        }}
      />
    </section>
  );
}
