// Stage requirements in plain words, whether a project meets them, and the API's refusal of an
// advance (409 STAGE_REQUIREMENTS_UNMET, whose details list the unmet requirements).
import { type Project, type StageRequirement, StageRequirementSchema } from "@nexus/contracts";
import { z } from "zod";
import { NexusApiError } from "../../../../../../packages/client/src/errors.ts";
import { activityLabel } from "./activities.ts";

/** What the requirement asks for, then how it is met: "Survey report uploaded (a document tagged "survey")". */
export function describeRequirement(requirement: StageRequirement): string {
  switch (requirement.kind) {
    case "document":
      return `${requirement.label} (a document tagged “${requirement.tag}” linked to the project)`;
    case "assignment":
      return `${requirement.label} (a ${requirement.role} assigned to the project)`;
    case "checklist":
      return `${requirement.label} (ticked on the project’s checklist)`;
    case "activity":
      return `${requirement.label} (${withArticle(activityLabel(requirement.type).toLowerCase())} logged on the project)`;
  }
}

const withArticle = (noun: string) => `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`;

/** What the page knows of a project beyond its record: the activity types and document tags it has. */
export interface RequirementFacts {
  activityTypes: ReadonlySet<string>;
  documentTags: ReadonlySet<string>;
}

/** The same checks the API makes before an advance. */
export function requirementMet(
  requirement: StageRequirement,
  project: Pick<Project, "assignments" | "checklist">,
  facts: RequirementFacts,
): boolean {
  switch (requirement.kind) {
    case "assignment":
      return project.assignments[requirement.role] !== undefined;
    case "checklist":
      return project.checklist[requirement.key] === true;
    case "activity":
      return facts.activityTypes.has(requirement.type);
    case "document":
      return facts.documentTags.has(requirement.tag);
  }
}

const UnmetDetailsSchema = z.object({ stage: z.string(), unmet: z.array(StageRequirementSchema) });
export type UnmetRequirements = z.infer<typeof UnmetDetailsSchema>;

/** The target stage and its unmet requirements, when `error` is the API refusing an advance. */
export function unmetRequirementsOf(error: unknown): UnmetRequirements | undefined {
  if (!(error instanceof NexusApiError) || error.code !== "STAGE_REQUIREMENTS_UNMET") return undefined;
  const details = UnmetDetailsSchema.safeParse(error.details);
  return details.success ? details.data : undefined;
}
