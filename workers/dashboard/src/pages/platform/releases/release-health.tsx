// A release's health across every company (the crash-free sessions and users of its version, from the
// desktop apps' Sentry sessions) beside its rollout, and the automatic halt: below which crash-free
// percentage, after how many sessions, the rollout halts by itself — and when it did.
import { type Release, type ReleaseHealth, routes } from "@nexus/contracts";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { TextField } from "../../../components/field.tsx";
import { ErrorState, Loaded } from "../../../components/states.tsx";
import { callApi } from "../../../lib/api.ts";
import { formatDateTime } from "../../../lib/format.ts";
import { useAction } from "../../../lib/use-action.ts";
import { useAsync } from "../../../lib/use-async.ts";
import { formatCount } from "../../company/errors-data.ts";
import { formatPercent } from "../../company/releases-health.tsx";
import "../../../styles/errors.css";

/** The threshold form's text, and what of it changed (only that is sent; empty percent = never). */
export function thresholdChanges(
  release: Pick<Release, "health_halt_below" | "health_min_sessions">,
  haltBelow: string,
  minSessions: string,
): { health_halt_below?: number | null; health_min_sessions?: number } | "invalid" {
  const below = haltBelow.trim() === "" ? null : Number(haltBelow);
  const sessions = Number(minSessions);
  if (below !== null && !(Number.isFinite(below) && below >= 0 && below <= 100)) return "invalid";
  if (!(Number.isInteger(sessions) && sessions >= 1)) return "invalid";
  return {
    ...(below !== release.health_halt_below ? { health_halt_below: below } : {}),
    ...(sessions !== release.health_min_sessions ? { health_min_sessions: sessions } : {}),
  };
}

export function ReleaseHealthPanel({ release, onChanged }: { release: Release; onChanged: () => void }) {
  const health = useAsync(
    useCallback(
      async (signal: AbortSignal) =>
        (await callApi(routes.getReleaseHealth, { params: { releaseId: release.id }, signal })).health,
      [release.id],
    ),
  );
  return (
    <section className="panel" aria-labelledby="release-health-heading">
      <h2 id="release-health-heading">Health</h2>
      {release.halted_by_health_at && release.rollout.state === "halted" && (
        <div className="state state-error" role="note" data-testid="halted-by-health">
          <h3>Halted by release health {formatDateTime(release.halted_by_health_at)}</h3>
          <p>
            Crash-free sessions fell below {formatPercent(release.health_halt_below)} after at least{" "}
            {formatCount(release.health_min_sessions)} sessions: nobody is offered {release.version} until the
            rollout is resumed.
          </p>
        </div>
      )}
      <Loaded state={health} loading="Loading release health…">
        {(data) => <HealthFigures health={data} />}
      </Loaded>
      <ThresholdForm release={release} onSaved={onChanged} />
    </section>
  );
}

function HealthFigures({ health }: { health: ReleaseHealth }) {
  const counts = health.health;
  if (!counts) {
    return (
      <p className="muted" data-testid="release-health">
        No session of {health.version} reported yet (desktop apps report them through their DSN).
      </p>
    );
  }
  return (
    <>
      <dl className="release-health-figures" data-testid="release-health">
        <div>
          <dt>Crash-free sessions</dt>
          <dd className="release-figure">{formatPercent(counts.crash_free_sessions)}</dd>
        </div>
        <div>
          <dt>Crash-free users</dt>
          <dd className="release-figure">{formatPercent(counts.crash_free_users)}</dd>
        </div>
        <div>
          <dt>Sessions</dt>
          <dd className="release-figure">{formatCount(counts.sessions)}</dd>
        </div>
        <div>
          <dt>Crashed</dt>
          <dd className="release-figure">{formatCount(counts.crashed)}</dd>
        </div>
        <div>
          <dt>Users</dt>
          <dd className="release-figure">{formatCount(counts.users)}</dd>
        </div>
      </dl>
      <p className="muted small">
        Every company's desktop sessions of version {health.version}
        {health.updated_at ? `, as of ${formatDateTime(health.updated_at)}` : ""}.
      </p>
    </>
  );
}

function ThresholdForm({ release, onSaved }: { release: Release; onSaved: () => void }) {
  const [haltBelow, setHaltBelow] = useState(release.health_halt_below?.toString() ?? "");
  const [minSessions, setMinSessions] = useState(String(release.health_min_sessions));
  const [saved, setSaved] = useState(false);
  // The saved values come back with the release: the fields follow them.
  useEffect(() => setHaltBelow(release.health_halt_below?.toString() ?? ""), [release.health_halt_below]);
  useEffect(() => setMinSessions(String(release.health_min_sessions)), [release.health_min_sessions]);
  const changes = thresholdChanges(release, haltBelow, minSessions);
  const changed = changes !== "invalid" && Object.keys(changes).length > 0;
  const save = useAction(
    useCallback(
      async (body: { health_halt_below?: number | null; health_min_sessions?: number }) => {
        await callApi(routes.updateRelease, { params: { releaseId: release.id }, body });
        setSaved(true);
        onSaved();
      },
      [release.id, onSaved],
    ),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (changes !== "invalid" && changed) void save.run(changes);
  };
  return (
    <form className="release-form" aria-label="Automatic halt" onSubmit={submit}>
      <h3>Automatic halt</h3>
      <p className="muted small">
        {release.health_halt_below === null
          ? "Off: the rollout never halts by itself."
          : `The rollout halts by itself when crash-free sessions fall below ${formatPercent(release.health_halt_below)} after ${formatCount(release.health_min_sessions)} sessions.`}
      </p>
      <div className="updates-form-grid">
        <TextField
          label="Halt below (crash-free sessions, %)"
          type="number"
          min={0}
          max={100}
          step="any"
          placeholder="Never"
          value={haltBelow}
          onChange={(event) => setHaltBelow(event.target.value)}
        />
        <TextField
          label="After at least (sessions)"
          type="number"
          min={1}
          step={1}
          required
          value={minSessions}
          onChange={(event) => setMinSessions(event.target.value)}
        />
      </div>
      <div className="updates-actions">
        <button type="submit" className="button" disabled={!changed || save.pending}>
          {save.pending ? "Saving…" : "Save threshold"}
        </button>
        {changes === "invalid" && (
          <span className="muted small">A percent from 0 to 100, and at least 1 session.</span>
        )}
        {saved && !changed && (
          <span className="muted" role="status">
            Saved.
          </span>
        )}
      </div>
      {save.error !== undefined && <ErrorState error={save.error} />}
    </form>
  );
}
