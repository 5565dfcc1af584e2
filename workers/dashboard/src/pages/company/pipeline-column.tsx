// One stage of the board: its projects, newest first, a page at a time, and a drop target for cards
// from other stages.
import { type PipelineStage, routes } from "@nexus/contracts";
import { type DragEvent, useCallback, useEffect, useId, useState } from "react";
import { Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { usePagedList } from "../../lib/use-paged-list.ts";
import type { ProjectFilterValues } from "./crm/filters.tsx";
import { LoadMore } from "./crm/load-more.tsx";
import type { BoardControls } from "./pipeline-board.tsx";
import { PipelineCard } from "./pipeline-card.tsx";

const PAGE_SIZE = 10;

export function PipelineColumn({
  stage,
  filters,
  reloadKey,
  board,
}: {
  stage: PipelineStage;
  filters: ProjectFilterValues;
  /** Changes when a move took a card out of this stage or into it. */
  reloadKey: number;
  board: BoardControls;
}) {
  const headingId = useId();
  const companyId = board.company.id;
  const { q, showroomId, assignee } = filters;
  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listProjects, {
          params: { companyId },
          query: { stage: stage.key, showroom_id: showroomId, assignee, q, limit: PAGE_SIZE, cursor },
          signal,
        });
        return { items: page.projects, nextCursor: page.next_cursor };
      },
      [companyId, stage.key, showroomId, assignee, q],
    ),
  );
  const { reload } = list;
  useEffect(() => {
    if (reloadKey > 0) reload();
  }, [reloadKey, reload]);

  const [over, setOver] = useState(false);
  const accepts = board.dragging !== undefined && board.dragging.stage !== stage.key;
  const dropHandlers = {
    onDragOver: (event: DragEvent) => {
      if (!accepts) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      setOver(true);
    },
    onDragLeave: (event: DragEvent) => {
      // Moving between the column's own children fires dragleave too.
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
    },
    onDrop: (event: DragEvent) => {
      event.preventDefault();
      setOver(false);
      if (accepts) board.dropOn(stage.key);
    },
  };

  const count = list.data ? `${list.items.length}${list.hasMore ? "+" : ""}` : "…";
  return (
    <section
      className={`board-column${accepts ? " drop-target" : ""}${over ? " drop-over" : ""}`}
      aria-labelledby={headingId}
      data-stage={stage.key}
      {...dropHandlers}
    >
      <header className="column-header">
        <h3 id={headingId}>{stage.name}</h3>
        <span className="column-count" title="Projects loaded in this stage">
          {count}
          <span className="visually-hidden"> projects</span>
        </span>
      </header>
      <Loaded state={list} loading="Loading…">
        {() =>
          list.items.length === 0 ? (
            <p className="muted small column-empty">No projects</p>
          ) : (
            <ul className="column-cards">
              {list.items.map((project) => (
                <li key={project.id}>
                  <PipelineCard project={project} board={board} />
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      <LoadMore list={list} label="Load more" className="column-more" />
    </section>
  );
}
