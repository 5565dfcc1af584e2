// The board: a column per stage side by side (scrolling sideways inside the board, never the page),
// the card being dragged, each card's last refused move, and the announcement of a move that worked.
import type { Company, PipelineStage, Project } from "@nexus/contracts";
import { useCallback, useState } from "react";
import { useNow } from "../../lib/timing.ts";
import type { ProjectFilterValues } from "./crm/filters.tsx";
import type { MoveOutcome } from "./crm/move.ts";
import { stageName } from "./crm/stages.ts";
import { useProjectMoves } from "./crm/use-project-moves.tsx";
import { PipelineColumn } from "./pipeline-column.tsx";

/** Why a card's last move did not happen, shown on the card until dismissed or moved. */
export type CardFeedback = Exclude<MoveOutcome, { kind: "moved" }>;

/** What the columns and cards share of the board. */
export interface BoardControls {
  company: Company;
  stages: readonly PipelineStage[];
  names: ReadonlyMap<string, string>;
  now: number;
  dragging: Project | undefined;
  pendingId: string | undefined;
  /** The card to focus once it shows in its new stage (after a move). */
  focus: { id: string; stage: string } | undefined;
  feedback: ReadonlyMap<string, CardFeedback>;
  startDrag: (project: Project) => void;
  endDrag: () => void;
  dropOn: (stage: string) => void;
  openMove: (project: Project) => void;
  dismiss: (projectId: string) => void;
  focused: () => void;
}

export function PipelineBoard({
  company,
  stages,
  filters,
  names,
}: {
  company: Company;
  stages: readonly PipelineStage[];
  filters: ProjectFilterValues;
  names: ReadonlyMap<string, string>;
}) {
  const now = useNow(60_000);
  const [reloads, setReloads] = useState<Readonly<Record<string, number>>>({});
  const [feedback, setFeedback] = useState<ReadonlyMap<string, CardFeedback>>(new Map());
  const [notice, setNotice] = useState("");
  const [focus, setFocus] = useState<BoardControls["focus"]>();
  const [dragging, setDragging] = useState<Project>();

  const report = useCallback(
    (project: Project, outcome: MoveOutcome) => {
      setFeedback((previous) => {
        const next = new Map(previous);
        if (outcome.kind === "moved") next.delete(project.id);
        else next.set(project.id, outcome);
        return next;
      });
      if (outcome.kind !== "moved") {
        setNotice("");
        return;
      }
      const to = outcome.project.stage;
      setNotice(`${project.reference} moved to ${stageName(stages, to)}.`);
      // Both columns load again: the card leaves one and joins the other where the API put it.
      setReloads((previous) => ({
        ...previous,
        [project.stage]: (previous[project.stage] ?? 0) + 1,
        [to]: (previous[to] ?? 0) + 1,
      }));
      setFocus({ id: project.id, stage: to });
    },
    [stages],
  );
  const moves = useProjectMoves(company.id, report);

  const board: BoardControls = {
    company,
    stages,
    names,
    now,
    dragging,
    pendingId: moves.pendingId,
    focus,
    feedback,
    startDrag: setDragging,
    endDrag: () => setDragging(undefined),
    dropOn: (stage) => {
      setDragging(undefined);
      if (dragging) moves.request(dragging, stages, stage);
    },
    openMove: (project) => moves.request(project, stages),
    dismiss: (projectId) =>
      setFeedback((previous) => {
        const next = new Map(previous);
        next.delete(projectId);
        return next;
      }),
    focused: () => setFocus(undefined),
  };

  return (
    <>
      <p className="board-notice" role="status">
        {notice}
      </p>
      <p className="muted small">
        Drag a card to another stage, or use its <strong>Move…</strong> button. Moving to the next stage
        checks its requirements; skipping ahead or moving back asks for a reason.
      </p>
      <div className="board">
        {stages.map((stage) => (
          <PipelineColumn
            key={stage.key}
            stage={stage}
            filters={filters}
            reloadKey={reloads[stage.key] ?? 0}
            board={board}
          />
        ))}
      </div>
      {moves.dialog}
    </>
  );
}
