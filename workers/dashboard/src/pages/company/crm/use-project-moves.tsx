// The stage moves of one screen (the board, a project page): a drop or the Advance button sends a
// move to the next stage at once; any other move, and "Move…", open the dialog first. One move at a
// time; the outcome goes to `report` (moved, or refused for unmet requirements, or failed when no
// dialog is open to show the failure in).
import type { PipelineStage, Project } from "@nexus/contracts";
import { type ReactNode, useCallback, useRef, useState } from "react";
import { type MoveOutcome, moveProject } from "./move.ts";
import { MoveDialog } from "./move-dialog.tsx";
import { moveKind } from "./stages.ts";

interface Asking {
  project: Project;
  stages: readonly PipelineStage[];
  target?: string;
}

export function useProjectMoves(
  companyId: string,
  report: (project: Project, outcome: MoveOutcome) => void,
): {
  /** Move `project` to `target`, or ask where to (no target). */
  request: (project: Project, stages: readonly PipelineStage[], target?: string) => void;
  /** The project whose move is on its way. */
  pendingId: string | undefined;
  /** The open dialog, for the screen to render. */
  dialog: ReactNode;
} {
  const [asking, setAsking] = useState<Asking>();
  const [dialogError, setDialogError] = useState<unknown>();
  const [pendingId, setPendingId] = useState<string>();
  // Read after the await: the dialog may have been closed (Escape) while the move was on its way.
  const askingNow = useRef<Asking>(undefined);
  askingNow.current = asking;
  const busy = useRef(false);

  const send = useCallback(
    async (project: Project, target: string, reason?: string) => {
      if (busy.current) return;
      busy.current = true;
      setPendingId(project.id);
      setDialogError(undefined);
      const outcome = await moveProject(companyId, project.id, target, reason);
      busy.current = false;
      setPendingId(undefined);
      if (outcome.kind === "failed" && askingNow.current?.project.id === project.id) {
        setDialogError(outcome.error);
        return;
      }
      setAsking(undefined);
      report(project, outcome);
    },
    [companyId, report],
  );

  const request = useCallback(
    (project: Project, stages: readonly PipelineStage[], target?: string) => {
      const kind = target === undefined ? undefined : moveKind(stages, project.stage, target);
      if (target !== undefined && kind === undefined) return;
      if (target !== undefined && kind === "advance") {
        void send(project, target);
        return;
      }
      setDialogError(undefined);
      setAsking({ project, stages, ...(target === undefined ? {} : { target }) });
    },
    [send],
  );

  const dialog = asking && (
    <MoveDialog
      key={asking.project.id}
      project={asking.project}
      stages={asking.stages}
      target={asking.target}
      pending={pendingId === asking.project.id}
      error={dialogError}
      onSubmit={(target, reason) => void send(asking.project, target, reason)}
      onClose={() => setAsking(undefined)}
    />
  );
  return { request, pendingId, dialog };
}
