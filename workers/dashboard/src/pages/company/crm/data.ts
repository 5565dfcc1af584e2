// What the CRM screens load besides a project list: the company's showrooms and pipelines, its
// members' names, when a project entered its stage, and what its requirements are checked against.
import {
  type Activity,
  type MemberSchema,
  type PipelineStage,
  type Project,
  routes,
  type Showroom,
  type StageRequirement,
} from "@nexus/contracts";
import type { z } from "zod";
import { NexusApiError } from "../../../../../../packages/client/src/errors.ts";
import { callApi } from "../../../lib/api.ts";
import { type RequirementFacts, requirementMet } from "./requirements.ts";

type Member = z.infer<typeof MemberSchema>;

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
    names: new Map(members.map((member) => [member.user_id, member.name || member.email])),
    defaultStages: pipeline.stages,
    ownStages,
  };
}

async function loadMembers(companyId: string, signal: AbortSignal): Promise<Member[]> {
  try {
    return (await callApi(routes.listMembers, { params: { companyId }, signal })).members;
  } catch (error) {
    if (error instanceof NexusApiError && error.code === "FORBIDDEN") return [];
    throw error;
  }
}

/** The stages projects of a showroom move through; no showroom: the company's default pipeline. */
export function stagesFor(context: CrmContext, showroomId: string | undefined): PipelineStage[] {
  const showroom = context.showrooms.find((candidate) => candidate.id === showroomId);
  return (showroom && context.ownStages.get(showroom.type)) ?? context.defaultStages;
}

/** Whether one board can show every showroom: none has a pipeline of its own. */
export const onePipelineForAll = (context: CrmContext): boolean =>
  context.showrooms.every((showroom) => !context.ownStages.has(showroom.type));

/** A page of a cursor-paged list: its items and the cursor of the next (null: the last). */
type ListPage<T> = { items: T[]; next: string | null };

/** The pages of a list, one request each and at most `max`, for loops that stop once they know enough. */
async function* pagesOf<T>(
  load: (cursor: string | undefined) => Promise<ListPage<T>>,
  max: number,
): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  for (let page = 0; page < max; page++) {
    const { items, next } = await load(cursor);
    yield items;
    if (next === null) return;
    cursor = next;
  }
}

const historyPages =
  (companyId: string, projectId: string, limit: number, signal?: AbortSignal) =>
  async (cursor: string | undefined): Promise<ListPage<Activity>> => {
    const answer = await callApi(routes.listActivities, {
      params: { companyId, projectId },
      query: { limit, cursor },
      signal,
    });
    return { items: answer.activities, next: answer.next_cursor };
  };

/** The most of a long history or document list read to check requirements. */
const FACT_PAGES = 5;
const FACT_PAGE = 200;

/**
 * The activity types and document tags `requirements` ask for that the project has. Reads its
 * history and documents only until every one asked for is found.
 */
export async function loadRequirementFacts(
  companyId: string,
  project: Project,
  requirements: readonly StageRequirement[],
  signal: AbortSignal,
): Promise<RequirementFacts> {
  const activityTypes = new Set<string>();
  const documentTags = new Set<string>();
  const done = () =>
    requirements.every((requirement) =>
      requirementMet(requirement, project, { activityTypes, documentTags }),
    );
  const asks = (kind: StageRequirement["kind"]) =>
    requirements.some((requirement) => requirement.kind === kind);

  const readHistory = async () => {
    if (!asks("activity")) return;
    for await (const activities of pagesOf(
      historyPages(companyId, project.id, FACT_PAGE, signal),
      FACT_PAGES,
    )) {
      for (const activity of activities) activityTypes.add(activity.type);
      if (done()) return;
    }
  };
  const documentPages = (cursor: string | undefined) =>
    callApi(routes.listDocuments, {
      params: { companyId },
      query: { project_id: project.id, limit: FACT_PAGE, cursor },
      signal,
    }).then((answer) => ({ items: answer.documents, next: answer.next_cursor }));
  const readDocuments = async () => {
    if (!asks("document")) return;
    for await (const documents of pagesOf(documentPages, FACT_PAGES)) {
      // The API counts only finished uploads towards a requirement.
      for (const document of documents)
        if (document.status === "ready") for (const tag of document.tags) documentTags.add(tag);
      if (done()) return;
    }
  };
  await Promise.all([readHistory(), readDocuments()]);
  return { activityTypes, documentTags };
}
