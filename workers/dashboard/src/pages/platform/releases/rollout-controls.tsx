// A published release's staged rollout: move it with a slider (or type the number) and apply,
// pause or resume it, or halt it (everyone back to the previous release).
import type { Release, RolloutActionRequestSchema } from "@nexus/contracts";
import { routes } from "@nexus/contracts";
import { type ChangeEvent, type FormEvent, useCallback, useEffect, useId, useState } from "react";
import type { z } from "zod";
import { ConfirmQuestion } from "../../../components/confirm-button.tsx";
import { TextField } from "../../../components/field.tsx";
import { ErrorState } from "../../../components/states.tsx";
import { callApi } from "../../../lib/api.ts";
import { useAction } from "../../../lib/use-action.ts";
import { RolloutBadge } from "./release-summary.tsx";

type RolloutAction = z.input<typeof RolloutActionRequestSchema>;

const clampPercent = (value: number) => (Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0);

/** A percentage as a native slider and a number box kept in step: keyboard and pointer alike. */
export function PercentInput({
  label,
  value,
  onChange,
}: {
  label: string;
  value: number;
  onChange: (value: number) => void;
}) {
  const sliderId = useId();
  // Both inputs edit the same value within the same bounds.
  const common = {
    min: 0,
    max: 100,
    step: 1,
    value,
    onChange: (event: ChangeEvent<HTMLInputElement>) => onChange(clampPercent(Number(event.target.value))),
  };
  return (
    <div className="field percent-input">
      <label htmlFor={sliderId}>{label}</label>
      <div className="percent-controls">
        <input id={sliderId} type="range" aria-valuetext={`${value} %`} {...common} />
        <input type="number" aria-label={`${label}, as a number`} {...common} />
        <span aria-hidden="true">%</span>
      </div>
    </div>
  );
}

export function RolloutControls({ release, onChanged }: { release: Release; onChanged: () => void }) {
  const { rollout } = release;
  const [percent, setPercent] = useState(Math.round(rollout.effective_percent));
  const [rampHours, setRampHours] = useState("");
  const [confirmingHalt, setConfirmingHalt] = useState(false);
  // The server's figure moved (an applied change, a ramp): the slider follows it.
  useEffect(() => setPercent(Math.round(rollout.effective_percent)), [rollout.effective_percent]);

  const change = useAction(
    useCallback(
      async (body: RolloutAction) => {
        await callApi(routes.changeRollout, { params: { releaseId: release.id }, body });
        setConfirmingHalt(false);
        onChanged();
      },
      [release.id, onChanged],
    ),
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const ramp = Number(rampHours);
    void change.run({ action: "set", percent, ramp_hours: rampHours.trim() && ramp > 0 ? ramp : null });
  };

  return (
    <section className="panel" aria-labelledby="rollout-heading">
      <h2 id="rollout-heading">Rollout</h2>
      <p data-testid="rollout-state">
        <RolloutBadge release={release} />
      </p>
      <p className="muted small">
        Each installation's place in the rollout is fixed (electron-updater's staging id), so raising the
        percentage only adds installations. Those outside it are offered the previous release.
      </p>
      <form className="rollout-form" onSubmit={apply}>
        <PercentInput label="Rollout percentage" value={percent} onChange={setPercent} />
        <TextField
          label="Ramp to 100 % over hours (optional)"
          type="number"
          min={1}
          step="any"
          value={rampHours}
          onChange={(event) => setRampHours(event.target.value)}
        />
        <button type="submit" className="button button-primary" disabled={change.pending}>
          Apply
        </button>
      </form>
      <p className="muted small">Applying a percentage also resumes a paused or halted rollout.</p>
      <div className="updates-actions">
        <button
          type="button"
          className="button"
          disabled={change.pending}
          onClick={() => change.run({ action: rollout.state === "active" ? "pause" : "resume" })}
        >
          {rollout.state === "active" ? "Pause" : "Resume"}
        </button>
        {rollout.state !== "halted" && (
          <button
            id="halt-button"
            type="button"
            className="button updates-button-danger-quiet"
            aria-expanded={confirmingHalt}
            onClick={() => {
              change.clearError();
              setConfirmingHalt(true);
            }}
          >
            Halt…
          </button>
        )}
      </div>
      {confirmingHalt && (
        <ConfirmQuestion
          question={`Halt ${release.version}? Nobody is offered it any more; installations that have not installed it stay on the previous release.`}
          confirmLabel="Halt the rollout"
          pending={change.pending}
          error={change.error}
          onConfirm={() => change.run({ action: "halt" })}
          onCancel={() => setConfirmingHalt(false)}
          returnFocusTo="halt-button"
        />
      )}
      {change.error !== undefined && !confirmingHalt && <ErrorState error={change.error} />}
    </section>
  );
}
