// Every release, newest first, filtered by channel and status on the API.
import { type Release, ReleaseStatusSchema, routes } from "@nexus/contracts";
import { useCallback, useState } from "react";
import { Field } from "../../../components/field.tsx";
import { Link } from "../../../components/link.tsx";
import { PagedTable } from "../../../components/paged-table.tsx";
import { EmptyState } from "../../../components/states.tsx";
import { callApi } from "../../../lib/api.ts";
import { useChannels } from "../../../lib/channels.ts";
import { formatDateTime } from "../../../lib/format.ts";
import { usePagedList } from "../../../lib/use-paged-list.ts";
import { ReleaseRowCells, releasePath } from "./release-summary.tsx";

const PAGE_SIZE = 25;
type StatusFilter = "" | Release["status"];
/** Few enough for radio buttons: every choice in view, one click or arrow key away. */
const STATUS_CHOICES: [StatusFilter, string][] = [
  ["", "Any"],
  ...ReleaseStatusSchema.options.map((option): [StatusFilter, string] => [
    option,
    option.charAt(0).toUpperCase() + option.slice(1),
  ]),
];

export function ReleaseList() {
  const [channel, setChannel] = useState("");
  const [status, setStatus] = useState<StatusFilter>("");
  const filtered = channel !== "" || status !== "";
  const channels = useChannels();
  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listReleases, {
          query: { channel: channel || undefined, status: status || undefined, limit: PAGE_SIZE, cursor },
          signal,
        });
        return { items: page.releases, nextCursor: page.next_cursor };
      },
      [channel, status],
    ),
  );

  return (
    <section className="panel" aria-labelledby="releases-heading">
      <div className="panel-header">
        <h2 id="releases-heading">All releases</h2>
        {list.loading && list.data && (
          <span className="muted small" role="status">
            Updating…
          </span>
        )}
        <Link className="button button-primary updates-panel-action" href={releasePath("new")}>
          New release
        </Link>
      </div>
      <search className="filters">
        <Field label="Channel">
          {(id) => (
            <select id={id} value={channel} onChange={(event) => setChannel(event.target.value)}>
              <option value="">Any</option>
              {(channels.data?.channels ?? []).map((option) => (
                <option key={option.name} value={option.name}>
                  {option.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="release-status-filter">
          <legend>Status</legend>
          {STATUS_CHOICES.map(([value, label]) => (
            <label key={label}>
              <input
                type="radio"
                name="release-status"
                value={value}
                checked={status === value}
                onChange={() => setStatus(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
      </search>
      <PagedTable
        list={list}
        caption={`Releases${filtered ? " matching the filters" : ""}, newest first`}
        loading="Loading releases…"
        empty={
          filtered ? (
            <EmptyState title="No release matches these filters">
              <p>Choose “Any” channel and status to see every release.</p>
            </EmptyState>
          ) : (
            <EmptyState title="No releases yet">
              <p>Create one from an electron-builder build, or publish one with `nexus release publish`.</p>
            </EmptyState>
          )
        }
        columns={
          <>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Rollout</th>
            <th scope="col">Channel</th>
            <th scope="col">Files</th>
            <th scope="col" className="wide-only">
              Created
            </th>
          </>
        }
        row={(release) => {
          const uploaded = release.files.filter((file) => file.uploaded).length;
          return (
            <tr key={release.id}>
              <ReleaseRowCells release={release} subtitle={release.name} />
              <td>{release.channel}</td>
              <td>
                {uploaded === release.files.length
                  ? `${release.files.length} uploaded`
                  : `${uploaded} of ${release.files.length} uploaded`}
              </td>
              <td className="wide-only">{formatDateTime(release.created_at)}</td>
            </tr>
          );
        }}
      />
    </section>
  );
}
