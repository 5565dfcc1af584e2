// Where the project stands: its pipeline with the stages done, current and ahead; what its current
// stage required and what the next one requires, each marked met or not (with a way to meet the
// ones the page can: tick the checklist, assign someone); Advance and Move….
import {
  type AssignmentRole,
  type Company,
  type PipelineStage,
  type Project,
  routes,
  type StageRequirement,
} from "@nexus/contracts";
import { useCallback, useId, useState } from "react";
import { callApi } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import { useAsync } from "../../lib/use-async.ts";
import { CompactError } from "./crm/compact-error.tsx";
import type { CrmContext } from "./crm/data.ts";
import type { MoveOutcome } from "./crm/move.ts";
import { describeRequirement } from "./crm/requirements.ts";
import { nextStage, stageName, stageProgress } from "./crm/stages.ts";
import { UnmetRequirements } from "./crm/unmet-requirements.tsx";
import { useProjectMoves } from "./crm/use-project-moves.tsx";

const STATE_LABELS = { done: "done", current: "current stage", ahead: "ahead" } as const;

export function ProjectStage({
  company,
  crm,
  project,
  stages,
  factsVersion,
  onProjectChanged,
  onMoved,
}: {
  company: Company;
  crm: CrmContext;
  project: Project;
  stages: readonly PipelineStage[];
  /** Changes when the history or documents changed. */
  factsVersion: number;
  onProjectChanged: () => void;
  onMoved: () => void;
}) {
  const companyId = company.id;
  const current = stages.find((stage) => stage.key === project.stage);
  const next = nextStage(stages, project.stage);
  const [outcome, setOutcome] = useState<Exclude<MoveOutcome, { kind: "moved" }>>();
  const [notice, setNotice] = useState("");

  // The API checks the requirements (the same checks an advance makes), whenever the project, its
  // history or its documents change.
  const status = useAsync(
    // biome-ignore lint/correctness/useExhaustiveDependencies: `project` and `factsVersion` are reload triggers.
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.getProjectRequirements, { params: { companyId, projectId: project.id }, signal }),
      [companyId, project, factsVersion],
    ),
  );
  const metOf = (stageKey: string) => {
    const checked = status.data?.stages.find((stage) => stage.key === stageKey)?.requirements;
    return checked
      ? (requirement: StageRequirement) =>
          checked.find((entry) => sameRequirement(entry.requirement, requirement))?.met
      : undefined;
  };

  const report = useCallback(
    (moved: Project, result: MoveOutcome) => {
      if (result.kind === "moved") {
        setOutcome(undefined);
        setNotice(`${moved.reference} moved to ${stageName(stages, result.project.stage)}.`);
        onMoved();
      } else {
        setNotice("");
        setOutcome(result);
      }
    },
    [stages, onMoved],
  );
  const moves = useProjectMoves(companyId, report);
  const context: RequirementContext = { company, crm, project, onProjectChanged };
  const groups = [
    current && {
      title: `Required to enter ${current.name}`,
      empty: "Nothing: any project may enter it.",
      requirements: current.requirements,
      metOf: metOf(current.key),
    },
    next && {
      title: `To advance to ${next.name}`,
      empty: "Nothing: it can advance now.",
      requirements: next.requirements,
      metOf: metOf(next.key),
    },
  ].filter((group) => group !== undefined);
  const pending = moves.pendingId === project.id;
  const dismiss = (
    <button type="button" className="button button-quiet" onClick={() => setOutcome(undefined)}>
      Dismiss
    </button>
  );

  return (
    <section className="panel" aria-labelledby="stage-heading">
      <h2 id="stage-heading">Stage: {stageName(stages, project.stage)}</h2>
      <ol className="stage-progress" aria-label="Pipeline progress">
        {stageProgress(stages, project.stage).map(({ stage, state }) => (
          <li
            key={stage.key}
            className={`stage-${state}`}
            aria-current={state === "current" ? "step" : undefined}
          >
            {stage.name}
            <span className="visually-hidden"> ({STATE_LABELS[state]})</span>
          </li>
        ))}
      </ol>
      <p className="board-notice" role="status">
        {notice}
      </p>
      {status.error !== undefined && (
        <CompactError error={status.error}>
          <button type="button" className="button button-quiet" onClick={status.reload}>
            Check again
          </button>
        </CompactError>
      )}
      <div className="requirement-groups">
        {groups.map((group) => (
          <RequirementGroup key={group.title} {...group} context={context} />
        ))}
        {!next && (
          <p className="muted">
            {current ? "This is the pipeline’s last stage." : "This stage is no longer in the pipeline."}
          </p>
        )}
      </div>
      <div className="stage-actions">
        {next && (
          <button
            type="button"
            className="button button-primary"
            disabled={pending}
            onClick={() => moves.request(project, stages, next.key)}
          >
            {pending ? "Moving…" : `Advance to ${next.name}`}
          </button>
        )}
        <button
          type="button"
          className="button"
          aria-haspopup="dialog"
          disabled={pending}
          onClick={() => moves.request(project, stages)}
        >
          Move…
        </button>
      </div>
      {outcome?.kind === "unmet" && (
        <UnmetRequirements refusal={outcome.refusal} stageName={stageName(stages, outcome.refusal.stage)}>
          {dismiss}
        </UnmetRequirements>
      )}
      {outcome?.kind === "failed" && <CompactError error={outcome.error}>{dismiss}</CompactError>}
      {moves.dialog}
    </section>
  );
}

/** What a requirement's row needs to offer a way to meet it. */
interface RequirementContext {
  company: Company;
  crm: CrmContext;
  project: Project;
  onProjectChanged: () => void;
}

function RequirementGroup({
  title,
  empty,
  requirements,
  metOf,
  context,
}: {
  title: string;
  empty: string;
  requirements: readonly StageRequirement[];
  /** Whether the API found a requirement met; undefined while it is being asked. */
  metOf: ((requirement: StageRequirement) => boolean | undefined) | undefined;
  context: RequirementContext;
}) {
  const headingId = useId();
  return (
    <div className="requirement-group">
      <h3 id={headingId}>{title}</h3>
      {requirements.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ul className="requirements" aria-labelledby={headingId}>
          {requirements.map((requirement) => {
            const met = metOf?.(requirement);
            const state = met === undefined ? "unknown" : met ? "met" : "unmet";
            return (
              <li key={JSON.stringify(requirement)} className={`req-${state}`}>
                <span className="req-mark" aria-hidden="true">
                  {MARKS[state].symbol}
                </span>
                <span>
                  <span className="visually-hidden">{MARKS[state].said}</span>
                  {describeRequirement(requirement)}
                  {state === "unmet" && <MeetRequirement requirement={requirement} context={context} />}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

const MARKS = {
  met: { symbol: "✓", said: "Met: " },
  unmet: { symbol: "✗", said: "Not met: " },
  unknown: { symbol: "…", said: "Checking: " },
} as const;

/** Requirements have no id: two are the same when every field is. */
const sameRequirement = (a: StageRequirement, b: StageRequirement): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/** The way to meet an unmet requirement from here. */
function MeetRequirement({
  requirement,
  context,
}: {
  requirement: StageRequirement;
  context: RequirementContext;
}) {
  const { company, project, onProjectChanged } = context;
  const update = useAction(
    useCallback(
      async (
        change:
          | { checklist: Record<string, boolean> }
          | { assignments: Partial<Record<AssignmentRole, string>> },
      ) => {
        await callApi(routes.updateProject, {
          params: { companyId: company.id, projectId: project.id },
          body: change,
        });
        onProjectChanged();
      },
      [company.id, project.id, onProjectChanged],
    ),
  );
  switch (requirement.kind) {
    case "activity":
      return (
        <>
          {" "}
          <a href="#log-activity">Log it below</a>
        </>
      );
    case "document":
      return (
        <>
          {" "}
          <a href="#upload-document">Upload it below</a>
        </>
      );
    case "checklist":
      return (
        <span className="req-action">
          <button
            type="button"
            className="button button-quiet"
            disabled={update.pending}
            onClick={() => update.run({ checklist: { [requirement.key]: true } })}
          >
            {update.pending ? "Saving…" : "Mark as done"}
          </button>
          {update.error !== undefined && <CompactError error={update.error} />}
        </span>
      );
    case "assignment":
      return (
        <AssignForm
          role={requirement.role}
          crm={context.crm}
          pending={update.pending}
          error={update.error}
          onAssign={(userId) => update.run({ assignments: { [requirement.role]: userId } })}
        />
      );
  }
}

function AssignForm({
  role,
  crm,
  pending,
  error,
  onAssign,
}: {
  role: AssignmentRole;
  crm: CrmContext;
  pending: boolean;
  error: unknown;
  onAssign: (userId: string) => void;
}) {
  const [userId, setUserId] = useState("");
  const fieldId = useId();
  // Without the member list (no permission to read it) there is nobody to offer.
  if (crm.members.length === 0) return null;
  return (
    <form
      className="req-action"
      onSubmit={(event) => {
        event.preventDefault();
        if (userId) onAssign(userId);
      }}
    >
      <label htmlFor={fieldId} className="visually-hidden">
        {`Assign a ${role}`}
      </label>
      <select id={fieldId} value={userId} onChange={(event) => setUserId(event.target.value)} required>
        <option value="">Choose a {role}…</option>
        {crm.members.map((member) => (
          <option key={member.user_id} value={member.user_id}>
            {member.name || member.email}
          </option>
        ))}
      </select>
      <button type="submit" className="button button-quiet" disabled={pending}>
        {pending ? "Assigning…" : "Assign"}
      </button>
      {error !== undefined && <CompactError error={error} />}
    </form>
  );
}
