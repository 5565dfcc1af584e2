// Moving a project to another stage, with the API's answer sorted into what the screens show: moved,
// refused for unmet requirements (listed on the card), or failed otherwise (e.g. no permission to
// override, shown where the move was asked for).
import { type Project, routes } from "@nexus/contracts";
import { callApi } from "../../../lib/api.ts";
import { type UnmetRequirements, unmetRequirementsOf } from "./requirements.ts";

export type MoveOutcome =
  | { kind: "moved"; project: Project }
  | { kind: "unmet"; refusal: UnmetRequirements }
  | { kind: "failed"; error: unknown };

export async function moveProject(
  companyId: string,
  projectId: string,
  toStage: string,
  reason?: string,
): Promise<MoveOutcome> {
  try {
    const { project } = await callApi(routes.moveProject, {
      params: { companyId, projectId },
      body: { to_stage: toStage, ...(reason ? { reason } : {}) },
    });
    return { kind: "moved", project };
  } catch (error) {
    const refusal = unmetRequirementsOf(error);
    return refusal ? { kind: "unmet", refusal } : { kind: "failed", error };
  }
}
