// Workflows the platform triggers itself (docs/notifications.md): a project moved or assigned, an
// invitation, a release published to the company, and — from the consumers worker, as queue
// `trigger` messages — a failing webhook endpoint. A notification problem never fails or slows the
// request that caused it: work runs after the response (waitUntil) or goes onto the notifications
// queue, and failures are logged, not thrown.
import { NotificationRecipientSchema, type Project } from "@nexus/contracts";
import { user } from "@nexus/db/auth";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { type TriggerRequest, triggerWorkflow } from "./trigger.ts";

/** `{ kind: "trigger" }` on the notifications queue: a workflow run by the queue consumer (runTrigger). */
export interface TriggerQueueMessage {
  kind: "trigger";
  company_id: string;
  workflow: string;
  to: TriggerRequest["to"];
  payload: Record<string, unknown>;
  idempotency_key: string | null;
  /** `system:<event>`; defaults to `system:queue`. */
  actor?: string;
}

const TriggerQueueMessageSchema = z.object({
  kind: z.literal("trigger"),
  company_id: z.string().min(1).max(64),
  workflow: z.string().min(1).max(64),
  to: z.array(NotificationRecipientSchema).min(1).max(100),
  payload: z.record(z.string(), z.unknown()).default({}),
  idempotency_key: z.string().min(1).max(255).nullable().default(null),
  actor: z.string().max(100).optional(),
});

/** Owners and admins: who hears about the company's own machinery (webhooks, releases, invitations). */
export const COMPANY_ADMINS = [{ role: "owner" }, { role: "admin" }] as const;

function logFailure(event: string, companyId: string, error: unknown): void {
  console.error(
    JSON.stringify({
      level: "warn",
      event: "notification_system_event_failed",
      source: event,
      companyId,
      code: error instanceof ApiError ? error.code : undefined,
      detail: error instanceof Error ? error.message : String(error),
    }),
  );
}

/**
 * Handles a queue `trigger` message. A message that can never succeed (malformed, unknown workflow,
 * recipients or company) is logged and dropped; anything else (a database that cannot be reached)
 * throws so the queue retries it. The idempotency key makes a retried message send nothing twice.
 */
export async function runTrigger(env: Env, body: unknown): Promise<void> {
  const parsed = TriggerQueueMessageSchema.safeParse(body);
  if (!parsed.success) {
    logFailure("queue:malformed", "", new Error(parsed.error.message));
    return;
  }
  const message = parsed.data;
  try {
    await triggerWorkflow(
      env,
      message.company_id,
      {
        workflow: message.workflow,
        to: message.to,
        payload: message.payload,
        idempotencyKey: message.idempotency_key,
      },
      message.actor ?? "system:queue",
    );
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      logFailure(`queue:${message.workflow}`, message.company_id, error);
      return;
    }
    throw error;
  }
}

/** Puts a trigger on the notifications queue; a queue that refuses is logged, never thrown. */
export async function enqueueTrigger(env: Env, message: TriggerQueueMessage): Promise<void> {
  try {
    await env.NOTIFICATIONS_QUEUE.send(message, { contentType: "json" });
  } catch (error) {
    logFailure(`enqueue:${message.workflow}`, message.company_id, error);
  }
}

/** Runs a trigger after the response; its failure is logged. */
export function triggerAfterResponse(
  c: Context<AppEnv>,
  companyId: string,
  request: TriggerRequest | (() => Promise<TriggerRequest | null>),
  actor: string,
): void {
  const run = async () => {
    const resolved = typeof request === "function" ? await request() : request;
    if (resolved && resolved.to.length > 0) await triggerWorkflow(c.env, companyId, resolved, actor);
  };
  c.executionCtx.waitUntil(
    run().catch((error: unknown) =>
      logFailure(typeof request === "function" ? "deferred" : request.workflow, companyId, error),
    ),
  );
}

async function userName(env: Env, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const [row] = await drizzle(env.CENTRAL_DB)
    .select({ name: user.name })
    .from(user)
    .where(eq(user.id, userId));
  return row?.name ?? null;
}

/**
 * `project.assigned` after a project moved (to every assignee) or got new assignees (to them), never
 * to the person who made the change. The key makes one notification per move or assignment.
 */
export function notifyProjectChange(
  c: Context<AppEnv>,
  companyId: string,
  project: Project,
  change: { kind: "moved" } | { kind: "assigned"; userIds: readonly string[] },
): void {
  const actor = c.get("actor");
  const actorUserId = actor.type === "user" ? actor.id : null;
  const assignees = change.kind === "moved" ? Object.values(project.assignments) : [...change.userIds];
  const to = [...new Set(assignees)].filter((id) => id !== actorUserId);
  if (to.length === 0) return;
  const key =
    change.kind === "moved"
      ? `project:${project.id}:stage:${project.stage}:${project.stage_entered_at}`
      : `project:${project.id}:assigned:${[...to].sort().join(",")}:${project.updated_at}`;
  triggerAfterResponse(
    c,
    companyId,
    async () => ({
      workflow: "project.assigned",
      to: to.map((userId) => ({ user_id: userId })),
      payload: {
        project: { id: project.id, name: project.title, stage: project.stage },
        change: change.kind,
        assigned_by: await userName(c.env, actorUserId),
      },
      idempotencyKey: key,
    }),
    actorUserId ?? `system:project.${change.kind}`,
  );
}

/** `release.published` to the company's owners and admins, once per channel and version. */
export async function notifyReleasePublished(
  env: Env,
  companyId: string,
  release: { channel: string; version: string; id?: string },
): Promise<void> {
  await enqueueTrigger(env, {
    kind: "trigger",
    company_id: companyId,
    workflow: "release.published",
    to: [...COMPANY_ADMINS],
    payload: { release: { id: release.id ?? null, version: release.version, channel: release.channel } },
    idempotency_key: `release:${release.channel}:${release.version}`,
    actor: "system:release.published",
  });
}

export interface InvitationEvent {
  id: string;
  organizationId: string;
  email: string;
  role: string | null;
  inviterId: string | null;
}

/**
 * `member.invited` (in-app) to the company's owners and admins. The invitation mail itself is
 * better-auth's; this only tells the people who manage members.
 */
export async function notifyMemberInvited(env: Env, invitation: InvitationEvent, invitedBy: string | null) {
  await enqueueTrigger(env, {
    kind: "trigger",
    company_id: invitation.organizationId,
    workflow: "member.invited",
    to: [...COMPANY_ADMINS],
    payload: { email: invitation.email, role: invitation.role ?? "member", invited_by: invitedBy },
    idempotency_key: `invitation:${invitation.id}`,
    actor: invitation.inviterId ?? "system:invitation",
  });
}

const InvitationShape = z.object({
  id: z.string(),
  organizationId: z.string(),
  email: z.string(),
  role: z.string().nullish(),
  inviterId: z.string().nullish(),
});

/** From better-auth's after hook: the invitation `/organization/invite-member` returned, if it is one. */
export function invitationFromAuth(path: string, returned: unknown): InvitationEvent | null {
  if (path !== "/organization/invite-member") return null;
  const parsed = InvitationShape.safeParse(returned);
  if (!parsed.success) return null;
  return { ...parsed.data, role: parsed.data.role ?? null, inviterId: parsed.data.inviterId ?? null };
}
