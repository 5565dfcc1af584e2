// Stage requirements in plain words, and the API's refusal of an advance (409
// STAGE_REQUIREMENTS_UNMET, whose details list the unmet requirements). Whether a requirement is
// met is the API's to say (GET …/projects/{id}/requirements), never worked out here.

import { NexusApiError } from "@nexus/client/errors";
import { type StageRequirement, StageRequirementSchema } from "@nexus/contracts";
import { z } from "zod";
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

const UnmetDetailsSchema = z.object({ stage: z.string(), unmet: z.array(StageRequirementSchema) });
export type UnmetRequirements = z.infer<typeof UnmetDetailsSchema>;

/** The target stage and its unmet requirements, when `error` is the API refusing an advance. */
export function unmetRequirementsOf(error: unknown): UnmetRequirements | undefined {
  if (!(error instanceof NexusApiError) || error.code !== "STAGE_REQUIREMENTS_UNMET") return undefined;
  const details = UnmetDetailsSchema.safeParse(error.details);
  return details.success ? details.data : undefined;
}
