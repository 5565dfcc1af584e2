// A project on the board: number, client, value, who is assigned and how long it has been in its
// stage; draggable, with "Move…" as the keyboard's way to do the same, and the API's answer to its
// last refused move.
import { ASSIGNMENT_ROLES, type Project } from "@nexus/contracts";
import { useEffect, useId, useRef } from "react";
import { Link } from "../../components/link.tsx";
import { daysSince, formatDaysInStage } from "./crm/activities.ts";
import { CompactError } from "./crm/compact-error.tsx";
import { formatValue } from "./crm/format.ts";
import { stageName } from "./crm/stages.ts";
import { UnmetRequirements } from "./crm/unmet-requirements.tsx";
import type { BoardControls } from "./pipeline-board.tsx";
import { companyPath } from "./section.ts";

const ROLE_NAMES = { surveyor: "Surveyor", designer: "Designer", installer: "Installer" } as const;

export function PipelineCard({ project, board }: { project: Project; board: BoardControls }) {
  const headingId = useId();
  const moveButton = useRef<HTMLButtonElement>(null);
  const pending = board.pendingId === project.id;
  const feedback = board.feedback.get(project.id);
  const { focus, focused } = board;

  // After a move, the card in its new column takes the focus (the one leaving the old column does not).
  useEffect(() => {
    if (focus?.id !== project.id || focus.stage !== project.stage) return;
    moveButton.current?.focus();
    focused();
  }, [focus, focused, project.id, project.stage]);

  const assigned = ASSIGNMENT_ROLES.flatMap((role) => {
    const userId = project.assignments[role];
    return userId ? [{ role, name: board.names.get(userId) ?? "assigned" }] : [];
  });

  return (
    <article
      className={`project-card${board.dragging?.id === project.id ? " dragging" : ""}`}
      aria-labelledby={headingId}
      aria-busy={pending}
      draggable={!pending}
      onDragStart={(event) => {
        event.dataTransfer.setData("text/plain", project.reference);
        event.dataTransfer.effectAllowed = "move";
        board.startDrag(project);
      }}
      onDragEnd={board.endDrag}
    >
      <h4 id={headingId}>
        <Link href={companyPath(board.company.id, "projects", project.id)}>{project.reference}</Link>
      </h4>
      <p className="card-client">{project.client.name}</p>
      <p className="muted small card-title">{project.title}</p>
      <dl className="card-facts">
        <div>
          <dt>Value</dt>
          <dd>{formatValue(project.value, board.company.settings)}</dd>
        </div>
        <div>
          <dt>In stage</dt>
          <dd>{formatDaysInStage(daysSince(project.stage_entered_at, board.now))}</dd>
        </div>
        {assigned.map(({ role, name }) => (
          <div key={role}>
            <dt>{ROLE_NAMES[role]}</dt>
            <dd>{name}</dd>
          </div>
        ))}
      </dl>
      <button
        ref={moveButton}
        type="button"
        className="button button-quiet card-move"
        aria-haspopup="dialog"
        aria-describedby={headingId}
        disabled={pending}
        onClick={() => board.openMove(project)}
      >
        {pending ? "Moving…" : "Move…"}
      </button>
      {feedback?.kind === "unmet" && (
        <UnmetRequirements
          refusal={feedback.refusal}
          stageName={stageName(board.stages, feedback.refusal.stage)}
        >
          <DismissButton onClick={() => board.dismiss(project.id)} />
        </UnmetRequirements>
      )}
      {feedback?.kind === "failed" && (
        <CompactError error={feedback.error}>
          <DismissButton onClick={() => board.dismiss(project.id)} />
        </CompactError>
      )}
    </article>
  );
}

function DismissButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="button button-quiet" onClick={onClick}>
      Dismiss
    </button>
  );
}
