// What the CRM screens load besides a project list: the company's showrooms and pipelines and its
// members' names.
import { type PipelineStage, routes, type Showroom } from "@nexus/contracts";
import { callApi } from "../../../lib/api.ts";
import { loadMembers, type Member, namesOf } from "../../../lib/members.ts";

export interface CrmContext {
  showrooms: Showroom[];
  /** Empty when the caller may not list members (installers): people then show as "a team member". */
  members: Member[];
  names: ReadonlyMap<string, string>;
  defaultStages: PipelineStage[];
  /** The stages of each showroom type that has its own pipeline. */
  ownStages: ReadonlyMap<string, PipelineStage[]>;
}

export async function loadCrmContext(companyId: string, signal: AbortSignal): Promise<CrmContext> {
  const params = { companyId };
  const [{ showrooms }, members, pipeline] = await Promise.all([
    callApi(routes.listShowrooms, { params, signal }),
    loadMembers(companyId, signal),
    callApi(routes.getPipeline, { params, signal }),
  ]);
  const types = [...new Set(showrooms.map((showroom) => showroom.type))];
  const typed = await Promise.all(
    types.map((type) => callApi(routes.getPipeline, { params, query: { showroom_type: type }, signal })),
  );
  const ownStages = new Map<string, PipelineStage[]>();
  for (const answer of typed) {
    // The API answers a type without its own pipeline with the default one (showroom_type null).
    if (answer.showroom_type !== null) ownStages.set(answer.showroom_type, answer.stages);
  }
  return {
    showrooms,
    members,
    names: namesOf(members),
    defaultStages: pipeline.stages,
    ownStages,
  };
}

/** The stages projects of a showroom move through; no showroom: the company's default pipeline. */
export function stagesFor(context: CrmContext, showroomId: string | undefined): PipelineStage[] {
  const showroom = context.showrooms.find((candidate) => candidate.id === showroomId);
  return (showroom && context.ownStages.get(showroom.type)) ?? context.defaultStages;
}

/** Whether one board can show every showroom: none has a pipeline of its own. */
export const onePipelineForAll = (context: CrmContext): boolean =>
  context.showrooms.every((showroom) => !context.ownStages.has(showroom.type));
