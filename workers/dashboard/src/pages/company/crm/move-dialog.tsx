// "Move…": the keyboard's way to move a project (and where a drag to a far stage lands). Picking the
// next stage moves at once; skipping ahead or going back asks for the reason the API requires.
import type { PipelineStage, Project } from "@nexus/contracts";
import { type KeyboardEvent, useId, useState } from "react";
import { CompactError } from "./compact-error.tsx";
import { Dialog } from "./dialog.tsx";
import { describeMove, type MoveKind, moveKind, stageName } from "./stages.ts";

const HINTS: Record<MoveKind, string> = {
  advance: "next stage",
  skip: "skip ahead, needs a reason",
  back: "move back, needs a reason",
};

export function MoveDialog({
  project,
  stages,
  target: chosen,
  pending,
  error,
  onSubmit,
  onClose,
}: {
  project: Project;
  stages: readonly PipelineStage[];
  /** A stage already picked (a card dropped on a column): the dialog then only asks for the reason. */
  target?: string;
  pending: boolean;
  error: unknown;
  onSubmit: (toStage: string, reason?: string) => void;
  onClose: () => void;
}) {
  const [target, setTarget] = useState(chosen);
  const kind = target ? moveKind(stages, project.stage, target) : undefined;
  const current = stageName(stages, project.stage);

  return (
    <Dialog title={`Move ${project.reference}`} onClose={onClose}>
      <p className="muted">
        {project.client.name} · now in <strong>{current}</strong>
      </p>
      {target && kind && kind !== "advance" ? (
        <ReasonForm
          description={describeMove(kind, current, stageName(stages, target))}
          kind={kind}
          pending={pending}
          error={error}
          onSubmit={(reason) => onSubmit(target, reason)}
          onBack={chosen ? undefined : () => setTarget(undefined)}
          onCancel={onClose}
        />
      ) : (
        <StagePicker
          project={project}
          stages={stages}
          pending={pending}
          error={error}
          onPick={(key) => {
            if (moveKind(stages, project.stage, key) === "advance") onSubmit(key);
            else setTarget(key);
          }}
          onCancel={onClose}
        />
      )}
    </Dialog>
  );
}

function StagePicker({
  project,
  stages,
  pending,
  error,
  onPick,
  onCancel,
}: {
  project: Project;
  stages: readonly PipelineStage[];
  pending: boolean;
  error: unknown;
  onPick: (stage: string) => void;
  onCancel: () => void;
}) {
  const labelId = useId();
  const next = stages.find((stage) => moveKind(stages, project.stage, stage.key) === "advance");
  return (
    <>
      <p id={labelId}>Move to:</p>
      {/* Arrow keys step through the stages, as in a menu; Tab works too. */}
      <ul className="stage-menu" aria-labelledby={labelId} onKeyDown={stepWithArrows}>
        {stages.map((stage) => {
          const kind = moveKind(stages, project.stage, stage.key);
          return (
            <li key={stage.key}>
              {kind ? (
                <button
                  type="button"
                  className="stage-option"
                  data-autofocus={stage === (next ?? stages[0]) ? "" : undefined}
                  disabled={pending}
                  onClick={() => onPick(stage.key)}
                >
                  {stage.name}
                  <span className="muted small"> ({HINTS[kind]})</span>
                </button>
              ) : (
                <span className="stage-option stage-option-current">
                  {stage.name}
                  <span className="muted small"> (current stage)</span>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {pending && <p role="status">Moving…</p>}
      {error !== undefined && <CompactError error={error} />}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

function stepWithArrows(event: KeyboardEvent<HTMLUListElement>) {
  const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>("button:not(:disabled)")];
  const count = buttons.length;
  const index = Math.max(buttons.indexOf(document.activeElement as HTMLButtonElement), 0);
  const target = stepTarget(event.key, index, count);
  if (target === undefined || count === 0) return;
  event.preventDefault();
  buttons[target]?.focus();
}

function stepTarget(key: string, index: number, count: number): number | undefined {
  switch (key) {
    case "ArrowDown":
      return (index + 1) % count;
    case "ArrowUp":
      return (index - 1 + count) % count;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return undefined;
  }
}

const SUBMIT_LABELS: Record<Exclude<MoveKind, "advance">, string> = {
  skip: "Skip ahead",
  back: "Move back",
};

function ReasonForm({
  description,
  kind,
  pending,
  error,
  onSubmit,
  onBack,
  onCancel,
}: {
  description: string;
  kind: Exclude<MoveKind, "advance">;
  pending: boolean;
  error: unknown;
  onSubmit: (reason: string) => void;
  onBack: (() => void) | undefined;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const fieldId = useId();
  const hintId = useId();
  return (
    <form
      className="move-reason"
      onSubmit={(event) => {
        event.preventDefault();
        if (reason.trim()) onSubmit(reason.trim());
      }}
    >
      <p>
        <strong>{description}.</strong>
      </p>
      <div className="field">
        <label htmlFor={fieldId}>Reason</label>
        <textarea
          id={fieldId}
          data-autofocus=""
          // biome-ignore lint/a11y/noAutofocus: the dialog opened (or switched) to ask for exactly this.
          autoFocus
          required
          maxLength={500}
          rows={3}
          aria-describedby={hintId}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
        <p id={hintId} className="muted small">
          Recorded in the project’s history. Moving outside the pipeline’s order needs permission to override
          it.
        </p>
      </div>
      {error !== undefined && <CompactError error={error} />}
      <div className="dialog-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? "Moving…" : SUBMIT_LABELS[kind]}
        </button>
        {onBack && (
          <button type="button" className="button button-quiet" onClick={onBack}>
            Choose another stage
          </button>
        )}
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
