// The API's refusal of an advance in plain words: which stage, and each requirement still unmet
// with how to meet it.
import type { ReactNode } from "react";
import { describeRequirement, type UnmetRequirements as Refusal } from "./requirements.ts";

export function UnmetRequirements({
  refusal,
  stageName,
  children,
}: {
  refusal: Refusal;
  /** The target stage's name (the refusal carries its key). */
  stageName: string;
  /** Actions, e.g. a dismiss button. */
  children?: ReactNode;
}) {
  return (
    <div className="unmet" role="alert">
      <p>
        <strong>Not moved.</strong> {stageName} needs:
      </p>
      <ul>
        {refusal.unmet.map((requirement) => (
          <li key={JSON.stringify(requirement)}>{describeRequirement(requirement)}</li>
        ))}
      </ul>
      {children}
    </div>
  );
}
