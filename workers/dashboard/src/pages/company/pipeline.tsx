// Company section "Pipeline": the company's projects as a board, one column per stage of the
// pipeline the chosen showroom follows. Cards move by drag and drop or by their "Move…" button; the
// API decides (unmet requirements, overrides) and the board shows its answer on the card.
import "../../styles/crm.css";
import { useCallback } from "react";
import { EmptyState, Loaded } from "../../components/states.tsx";
import { useAsync } from "../../lib/use-async.ts";
import { type CrmContext, loadCrmContext, onePipelineForAll, stagesFor } from "./crm/data.ts";
import { ProjectFilters, useProjectFilterValues } from "./crm/filters.tsx";
import { PipelineBoard } from "./pipeline-board.tsx";
import type { CompanySectionProps } from "./section.ts";

export function PipelineSection({ company }: CompanySectionProps) {
  const crm = useAsync(
    useCallback((signal: AbortSignal) => loadCrmContext(company.id, signal), [company.id]),
  );
  return (
    <section className="panel crm" aria-labelledby="pipeline-heading">
      <div className="panel-header">
        <h2 id="pipeline-heading">Pipeline</h2>
      </div>
      <Loaded state={crm} loading="Loading the pipeline…">
        {(context) => <PipelineScreen company={company} crm={context} />}
      </Loaded>
    </section>
  );
}

function PipelineScreen({ company, crm }: { company: CompanySectionProps["company"]; crm: CrmContext }) {
  const filters = useProjectFilterValues();
  // One board shows one pipeline: "all showrooms" only while they all follow the default one.
  const anyShowroom = onePipelineForAll(crm);
  const showroom =
    crm.showrooms.find((candidate) => candidate.id === filters.showroomId) ??
    (anyShowroom ? undefined : crm.showrooms[0]);
  if (crm.showrooms.length === 0) {
    return (
      <EmptyState title="No showrooms yet">
        <p>Every project belongs to a showroom. Once the company has one, its projects show here.</p>
      </EmptyState>
    );
  }
  return (
    <>
      <ProjectFilters crm={crm} anyShowroom={anyShowroom} keys={["q", "showroom", "assignee"]} />
      <PipelineBoard
        company={company}
        stages={stagesFor(crm, showroom?.id)}
        filters={{ ...filters, showroomId: showroom?.id }}
        names={crm.names}
      />
    </>
  );
}
