// The workflow form's rules: what a person typed (text fields, channel boxes) becomes the create body
// or the PATCH of only what changed, checked by the contract's own schemas so a problem shows at its
// field before anything is sent.
import {
  type CreateNotificationWorkflowRequest,
  CreateNotificationWorkflowRequestSchema,
  NOTIFICATION_CHANNELS,
  type NotificationChannel,
  type NotificationWorkflow,
  type UpdateNotificationWorkflowRequest,
  UpdateNotificationWorkflowRequestSchema,
} from "@nexus/contracts";

export interface WorkflowDraft {
  key: string;
  name: string;
  category: string;
  critical: boolean;
  channels: readonly NotificationChannel[];
  /** Minutes as typed; empty is no digest. */
  digest: string;
}

export type WorkflowField = "key" | "name" | "category" | "channels" | "digest";
export type WorkflowProblems = Partial<Record<WorkflowField, string>>;

export type Checked<T> = { ok: true; body: T } | { ok: false; problems: WorkflowProblems };

export const emptyDraft = (): WorkflowDraft => ({
  key: "",
  name: "",
  category: "",
  critical: false,
  channels: ["in_app"],
  digest: "",
});

export const draftOf = (workflow: NotificationWorkflow): WorkflowDraft => ({
  key: workflow.key,
  name: workflow.name,
  category: workflow.category,
  critical: workflow.critical,
  channels: workflow.channels,
  digest: workflow.digest_minutes === null ? "" : String(workflow.digest_minutes),
});

/** The channels with one switched, in the platform's order (so an unchanged set compares equal). */
export const withChannel = (
  channels: readonly NotificationChannel[],
  channel: NotificationChannel,
  on: boolean,
): NotificationChannel[] =>
  NOTIFICATION_CHANNELS.filter((known) => (known === channel ? on : channels.includes(known)));

/** "" → null (no digest); a whole number stays a number; anything else is kept for the schema to refuse. */
function digestValue(text: string): number | null | string {
  const typed = text.trim();
  if (!typed) return null;
  return /^\d+$/.test(typed) ? Number(typed) : typed;
}

const FIELD_OF: Record<string, WorkflowField> = {
  key: "key",
  name: "name",
  category: "category",
  channels: "channels",
  digest_minutes: "digest",
};

function problemsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): WorkflowProblems {
  const problems: WorkflowProblems = {};
  for (const issue of issues) {
    const field = FIELD_OF[String(issue.path[0])];
    if (field && problems[field] === undefined) {
      problems[field] =
        field === "channels"
          ? "Choose at least one channel"
          : field === "digest"
            ? "A whole number of minutes from 1 to 10080, or empty"
            : issue.message;
    }
  }
  return problems;
}

export function createBody(draft: WorkflowDraft): Checked<CreateNotificationWorkflowRequest> {
  const parsed = CreateNotificationWorkflowRequestSchema.safeParse({
    key: draft.key.trim(),
    name: draft.name,
    category: draft.category.trim(),
    critical: draft.critical,
    channels: [...draft.channels],
    digest_minutes: digestValue(draft.digest),
  });
  return parsed.success
    ? { ok: true, body: parsed.data }
    : { ok: false, problems: problemsOf(parsed.error.issues) };
}

/** Only the fields that differ from the workflow as listed; an empty patch means nothing to save. */
export function updateBody(
  workflow: NotificationWorkflow,
  draft: WorkflowDraft,
): Checked<UpdateNotificationWorkflowRequest> {
  const digest = digestValue(draft.digest);
  const patch: Record<string, unknown> = {};
  if (draft.name.trim() !== workflow.name) patch.name = draft.name;
  if (draft.category.trim() !== workflow.category) patch.category = draft.category.trim();
  if (draft.critical !== workflow.critical) patch.critical = draft.critical;
  const channels = NOTIFICATION_CHANNELS.filter((known) => draft.channels.includes(known));
  if (channels.join() !== NOTIFICATION_CHANNELS.filter((known) => workflow.channels.includes(known)).join()) {
    patch.channels = channels;
  }
  if (digest !== workflow.digest_minutes) patch.digest_minutes = digest;
  const parsed = UpdateNotificationWorkflowRequestSchema.safeParse(patch);
  return parsed.success
    ? { ok: true, body: parsed.data }
    : { ok: false, problems: problemsOf(parsed.error.issues) };
}
