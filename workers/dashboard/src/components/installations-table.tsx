// The company's installations: filters the API applies (search, seat status, version), a status
// column fed by live presence, cursor paging, and deactivating an installation to free its seat.
import { installationStatus, latestHeartbeat, routes } from "@nexus/contracts";
import { Fragment, useCallback, useEffect, useState } from "react";
import { callApi } from "../lib/api.ts";
import { formatDateTime, timeAgo } from "../lib/format.ts";
import type { Installation, InstallationPresence } from "../lib/installation-status.ts";
import { useDebounced } from "../lib/timing.ts";
import { useAction } from "../lib/use-action.ts";
import { usePagedList } from "../lib/use-paged-list.ts";
import { ConfirmQuestion } from "./confirm-button.tsx";
import { Field, TextField } from "./field.tsx";
import { PagedTable } from "./paged-table.tsx";
import "../styles/updates.css";
import { EmptyState } from "./states.tsx";
import { StatusBadge } from "./status-badge.tsx";

const PAGE_SIZE = 50;
const COLUMNS = 8;
type SeatFilter = "all" | "active" | "inactive";
const deactivateButtonId = (installationId: string) => `deactivate-${installationId}`;

export function InstallationsTable({
  companyId,
  companyCode,
  versions,
  presence,
  now,
  refreshKey,
  onDeactivated,
}: {
  companyId: string;
  companyCode: string;
  /** Versions to offer in the filter (what the company's installations run). */
  versions: string[];
  presence: ReadonlyMap<string, InstallationPresence>;
  now: number;
  /** Changes when the list may have changed (an installation the table does not know came online). */
  refreshKey: number;
  /** After an installation was deactivated (the table reloads itself; seat figures elsewhere may follow). */
  onDeactivated?: () => void;
}) {
  const [search, setSearch] = useState("");
  const [seats, setSeats] = useState<SeatFilter>("all");
  const [version, setVersion] = useState("");
  const q = useDebounced(search.trim(), 250);
  const filtered = q !== "" || seats !== "all" || version !== "";

  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listInstallations, {
          params: { companyId },
          query: {
            q: q || undefined,
            status: seats,
            app_version: version || undefined,
            limit: PAGE_SIZE,
            cursor,
          },
          signal,
        });
        return { items: page.installations, nextCursor: page.next_cursor };
      },
      [companyId, q, seats, version],
    ),
  );
  const { reload } = list;
  useEffect(() => {
    if (refreshKey > 0) reload();
  }, [refreshKey, reload]);

  // One confirmation at a time, shown in a row under the installation it is about.
  const [confirming, setConfirming] = useState<Installation>();
  const [deactivated, setDeactivated] = useState<string>();
  const deactivate = useAction(
    useCallback(
      async (installation: Installation) => {
        await callApi(routes.deactivateInstallation, {
          params: { companyId, installationId: installation.id },
        });
        setConfirming(undefined);
        setDeactivated(installation.hostname);
        reload();
        onDeactivated?.();
      },
      [companyId, reload, onDeactivated],
    ),
  );
  const ask = (installation: Installation) => {
    deactivate.clearError();
    setDeactivated(undefined);
    setConfirming(installation);
  };

  function clearFilters() {
    setSearch("");
    setSeats("all");
    setVersion("");
  }

  return (
    <section className="panel" aria-labelledby="installations-heading">
      <div className="panel-header">
        <h2 id="installations-heading">Installations</h2>
        {list.loading && list.data && (
          <span className="muted small" role="status">
            Updating…
          </span>
        )}
        {deactivated && (
          <span className="muted small" role="status">
            {deactivated} was deactivated; its seat is free.
          </span>
        )}
      </div>
      <search className="filters">
        <TextField
          label="Search"
          type="search"
          value={search}
          placeholder="Hostname, machine id or user"
          onChange={(event) => setSearch(event.target.value)}
        />
        <Field label="Seat">
          {(id) => (
            <select id={id} value={seats} onChange={(event) => setSeats(event.target.value as SeatFilter)}>
              <option value="all">Any</option>
              <option value="active">Holds a seat</option>
              <option value="inactive">Deactivated</option>
            </select>
          )}
        </Field>
        <Field label="Version">
          {(id) => (
            <select id={id} value={version} onChange={(event) => setVersion(event.target.value)}>
              <option value="">Any</option>
              {versions.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {filtered && (
          <button type="button" className="button button-quiet" onClick={clearFilters}>
            Clear filters
          </button>
        )}
      </search>

      <PagedTable
        list={list}
        caption={`Installations${filtered ? " matching the filters" : ""}, newest first`}
        loading="Loading installations…"
        empty={
          filtered ? (
            <EmptyState title="No installation matches these filters">
              <button type="button" className="button" onClick={clearFilters}>
                Clear filters
              </button>
            </EmptyState>
          ) : (
            <EmptyState title="No installations yet">
              <p>
                Install the Nexus desktop app and join with the company code <strong>{companyCode}</strong>.
              </p>
            </EmptyState>
          )
        }
        columns={
          <>
            <th scope="col">Hostname</th>
            <th scope="col">Status</th>
            <th scope="col">Version</th>
            <th scope="col">Operating system</th>
            {/* Tablets: the seat column's button takes the room of the user and join date. */}
            <th scope="col" className="wide-only">
              User
            </th>
            <th scope="col">Last heartbeat</th>
            <th scope="col" className="wide-only">
              Joined
            </th>
            <th scope="col">Seat</th>
          </>
        }
        row={(installation) => {
          // The status and the last heartbeat come from the same (freshest) heartbeat, so they agree.
          const live = presence.get(installation.id);
          const lastHeartbeat = latestHeartbeat(installation, live);
          return (
            <Fragment key={installation.id}>
              <tr>
                <th scope="row">
                  <span className="hostname">{installation.hostname}</span>
                  <span className="muted small mono">{installation.machine_id}</span>
                </th>
                <td>
                  <StatusBadge status={installationStatus(installation, live, now)} />
                </td>
                <td>{installation.app_version ?? <span className="muted">unknown</span>}</td>
                <td>{installation.os_version ?? <span className="muted">unknown</span>}</td>
                <td className="wide-only">{installation.username ?? <span className="muted">—</span>}</td>
                <td>
                  {lastHeartbeat ? (
                    <time dateTime={lastHeartbeat} title={formatDateTime(lastHeartbeat)}>
                      {timeAgo(lastHeartbeat, now)}
                    </time>
                  ) : (
                    <span className="muted">never</span>
                  )}
                </td>
                <td className="wide-only">
                  <time dateTime={installation.created_at}>{formatDateTime(installation.created_at)}</time>
                </td>
                <td>
                  {installation.is_active ? (
                    <button
                      type="button"
                      id={deactivateButtonId(installation.id)}
                      className="button button-quiet updates-button-small"
                      aria-label={`Deactivate ${installation.hostname}`}
                      aria-expanded={confirming?.id === installation.id}
                      onClick={() => ask(installation)}
                    >
                      Deactivate
                    </button>
                  ) : (
                    <span
                      className="muted"
                      title={
                        installation.deactivated_at ? formatDateTime(installation.deactivated_at) : undefined
                      }
                    >
                      Deactivated
                    </span>
                  )}
                </td>
              </tr>
              {confirming?.id === installation.id && (
                <tr className="updates-confirm-row">
                  <td colSpan={COLUMNS}>
                    <ConfirmQuestion
                      question={
                        <>
                          Deactivate <strong>{installation.hostname}</strong>? Its seat is freed, and the app
                          must join again with the company code before it can be used.
                        </>
                      }
                      confirmLabel="Deactivate"
                      pending={deactivate.pending}
                      error={deactivate.error}
                      onConfirm={() => deactivate.run(installation)}
                      onCancel={() => setConfirming(undefined)}
                      returnFocusTo={deactivateButtonId(installation.id)}
                    />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        }}
      />
    </section>
  );
}
