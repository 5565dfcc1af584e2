import { NexusApiError } from "@nexus/client/errors";
import type { StageRequirement } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { describeRequirement, unmetRequirementsOf } from "./requirements.ts";

const survey: StageRequirement = { kind: "document", tag: "survey", label: "Survey report uploaded" };
const visit: StageRequirement = { kind: "activity", type: "site_visit", label: "Site visit logged" };
const surveyor: StageRequirement = { kind: "assignment", role: "surveyor", label: "Surveyor assigned" };
const deposit: StageRequirement = { kind: "checklist", key: "deposit_paid", label: "Deposit paid" };

it("says what each requirement asks for and how to meet it", () => {
  expect(describeRequirement(survey)).toBe(
    "Survey report uploaded (a document tagged “survey” linked to the project)",
  );
  expect(describeRequirement(visit)).toBe("Site visit logged (a site visit logged on the project)");
  expect(describeRequirement({ kind: "activity", type: "email", label: "Sent" })).toBe(
    "Sent (an email logged on the project)",
  );
  expect(describeRequirement(surveyor)).toBe("Surveyor assigned (a surveyor assigned to the project)");
  expect(describeRequirement(deposit)).toBe("Deposit paid (ticked on the project’s checklist)");
});

describe("unmetRequirementsOf", () => {
  const refusal = (
    details: Record<string, unknown> | undefined,
    code = "STAGE_REQUIREMENTS_UNMET" as const,
  ) =>
    new NexusApiError({
      status: 409,
      code,
      message: "Survey completed needs: …",
      details,
      requestId: "req-1",
      retryAfterMs: undefined,
    });

  it("reads the target stage and the unmet requirements from the API's 409", () => {
    expect(unmetRequirementsOf(refusal({ stage: "survey_completed", unmet: [visit, survey] }))).toEqual({
      stage: "survey_completed",
      unmet: [visit, survey],
    });
  });

  it("is undefined for any other failure or details outside the contract", () => {
    expect(unmetRequirementsOf(new Error("offline"))).toBeUndefined();
    expect(unmetRequirementsOf(refusal(undefined))).toBeUndefined();
    expect(unmetRequirementsOf(refusal({ stage: "x", unmet: [{ kind: "magic" }] }))).toBeUndefined();
    const forbidden = new NexusApiError({
      status: 403,
      code: "FORBIDDEN",
      message: "no",
      details: { stage: "x", unmet: [] },
      requestId: "req-2",
      retryAfterMs: undefined,
    });
    expect(unmetRequirementsOf(forbidden)).toBeUndefined();
  });
});
