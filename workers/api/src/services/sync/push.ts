// Push: a device's mutations, applied in order, each in one D1 batch that starts by logging the
// mutation (device, id): a mutation that was already applied fails that insert and changes nothing.
// A business-rule refusal is logged as rejected and the next mutation goes on; anything else
// (D1 unavailable…) stops the push with what was applied so far, so the device retries from there.
import { type SyncMutation, type SyncMutationName, syncMutations } from "@nexus/contracts";
import {
  activities,
  documents,
  projects,
  syncDevices,
  syncMutationLog,
  syncOverwrites,
} from "@nexus/db/tenant";
import { and, asc, between, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import type { z } from "zod";
import { ApiError } from "../../lib/errors.ts";
import type { ProjectScope } from "../crm/caller.ts";
import { insertSelect } from "../crm/insert-select.ts";
import { activityRow, checklistPatch, type NewActivity } from "../crm/project-writes.ts";
import { loadProject } from "../crm/projects.ts";
import { planMove } from "../crm/stages.ts";
import { documentKey, usedBytes } from "../documents/library.ts";
import { contentTypeOf, typeOfName } from "../documents/sniff.ts";

export interface PushContext {
  db: D1Database;
  companyId: string;
  deviceId: string;
  userId: string;
  scope: ProjectScope;
  /** Whether the user may move jobs between stages (projects:advance). */
  canAdvance: boolean;
  allowedTypes: string[];
  quotaBytes: number;
  bucket: R2Bucket;
}

/** A refusal by a business rule: recorded, reported, and not retried. */
class Rejection extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

type Args<N extends SyncMutationName> = z.infer<(typeof syncMutations)[N]>;

async function jobFor(ctx: PushContext, jobId: string) {
  try {
    return await loadProject(ctx.db, jobId, ctx.scope);
  } catch (error) {
    if (error instanceof ApiError && error.code === "PROJECT_NOT_FOUND") {
      throw new Rejection("NOT_ASSIGNED", `Job ${jobId} is not (or no longer) assigned to you.`);
    }
    throw error;
  }
}

type Statement = BatchItem<"sqlite">;

/** The device's activity; one the device sent before (same client id) is not written again. */
const activityInsert = (ctx: PushContext, jobId: string, activity: NewActivity) =>
  drizzle(ctx.db)
    .insert(activities)
    .values(activityRow(jobId, activity, { type: "user", id: ctx.userId }))
    .onConflictDoNothing({ target: activities.id });

/** A multipart upload started for a photo, and the statement that records it. */
interface StartedUpload {
  upload: R2MultipartUpload;
  insert: Statement;
}

/**
 * The statements that apply one mutation (after its log row), or a Rejection. Multipart uploads it
 * starts go into `started`, so they can be aborted if their row is not written.
 */
async function effects(
  ctx: PushContext,
  mutation: SyncMutation,
  started: StartedUpload[],
): Promise<Statement[]> {
  const schema = syncMutations[mutation.name];
  const parsed = schema.safeParse(mutation.args);
  if (!parsed.success) {
    throw new Rejection(
      "INVALID_ARGS",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  }
  const now = Date.now();
  const orm = drizzle(ctx.db);
  switch (mutation.name) {
    case "job.setStage": {
      const args = parsed.data as Args<"job.setStage">;
      const { row, assignments } = await jobFor(ctx, args.job_id);
      if (row.stage === args.stage) return [];
      if (!ctx.canAdvance) throw new Rejection("FORBIDDEN", "Your role cannot move jobs between stages.");
      let plan: Awaited<ReturnType<typeof planMove>>;
      try {
        plan = await planMove(ctx.db, row, assignments, args.stage);
      } catch (error) {
        if (error instanceof ApiError) throw new Rejection("ILLEGAL_STAGE_CHANGE", error.message);
        throw error;
      }
      if (plan.kind !== "advance") {
        throw new Rejection(
          "ILLEGAL_STAGE_CHANGE",
          `A job moves one stage forward from the app; ${args.stage} is not next.`,
        );
      }
      if (plan.unmet.length > 0) {
        throw new Rejection(
          "STAGE_REQUIREMENTS_UNMET",
          `${plan.target.name} needs: ${plan.unmet.map((r) => r.label).join("; ")}.`,
        );
      }
      return [
        orm.update(projects).set({ stage: args.stage, updatedAt: now }).where(eq(projects.id, row.id)),
        activityInsert(ctx, row.id, {
          type: "status_change",
          data: { from: row.stage, to: args.stage, kind: "advance", device_id: ctx.deviceId },
          occurredAt: now,
        }),
      ];
    }
    case "job.setStatus": {
      const args = parsed.data as Args<"job.setStatus">;
      const { row } = await jobFor(ctx, args.job_id);
      return [
        orm.update(projects).set({ status: args.status, updatedAt: now }).where(eq(projects.id, row.id)),
      ];
    }
    case "job.updateFields": {
      const args = parsed.data as Args<"job.updateFields">;
      const { row } = await jobFor(ctx, args.job_id);
      // Per field, the server's order decides; a value that replaces another is logged.
      const current: Record<string, unknown> = {
        title: row.title,
        expected_completion: row.expectedCompletion,
        ...Object.fromEntries(Object.entries(row.checklist).map(([k, v]) => [`checklist.${k}`, v])),
      };
      const incoming: Record<string, unknown> = {
        ...(args.fields.title !== undefined ? { title: args.fields.title } : {}),
        ...(args.fields.expected_completion !== undefined
          ? { expected_completion: args.fields.expected_completion }
          : {}),
        ...Object.fromEntries(
          Object.entries(args.fields.checklist ?? {}).map(([k, v]) => [`checklist.${k}`, v]),
        ),
      };
      const overwrites = Object.entries(incoming)
        .filter(([field, value]) => current[field] !== undefined && current[field] !== value)
        .map(([field, value]) =>
          orm.insert(syncOverwrites).values({
            projectId: row.id,
            field,
            previous: JSON.stringify(current[field]),
            value: JSON.stringify(value),
            deviceId: ctx.deviceId,
            mutationId: mutation.id,
            at: now,
          }),
        );
      return [
        ...overwrites,
        orm
          .update(projects)
          .set({
            title: args.fields.title,
            expectedCompletion: args.fields.expected_completion,
            checklist: checklistPatch(args.fields.checklist ?? {}),
            updatedAt: now,
          })
          .where(eq(projects.id, row.id)),
      ];
    }
    case "checkin.create": {
      const args = parsed.data as Args<"checkin.create">;
      await jobFor(ctx, args.job_id);
      const at = args.occurred_at ? Date.parse(args.occurred_at) : now;
      return [
        activityInsert(ctx, args.job_id, {
          id: args.id,
          type: "check_in",
          body: args.note ?? null,
          data: { gps: args.gps, device_id: ctx.deviceId },
          occurredAt: at,
        }),
      ];
    }
    case "note.create": {
      const args = parsed.data as Args<"note.create">;
      await jobFor(ctx, args.job_id);
      const at = args.occurred_at ? Date.parse(args.occurred_at) : now;
      return [
        activityInsert(ctx, args.job_id, {
          id: args.id,
          type: "note",
          body: args.body,
          data: { device_id: ctx.deviceId },
          occurredAt: at,
        }),
      ];
    }
    case "photo.register": {
      const args = parsed.data as Args<"photo.register">;
      await jobFor(ctx, args.job_id);
      const type = typeOfName(args.name);
      if (!type || !ctx.allowedTypes.includes(type)) {
        throw new Rejection(
          "DOCUMENT_TYPE_NOT_ALLOWED",
          `${args.name} is not a document type this company accepts.`,
        );
      }
      const [existing] = await orm
        .select({ id: documents.id })
        .from(documents)
        .where(eq(documents.id, args.id))
        .limit(1);
      if (existing) return [];
      if ((await usedBytes(ctx.db)) + args.size > ctx.quotaBytes) {
        throw new Rejection("STORAGE_QUOTA_EXCEEDED", "The company's document storage is full.");
      }
      const key = documentKey(ctx.companyId, args.id);
      // Bytes follow through the resumable document upload (PUT …/documents/{id}/parts/{n}).
      const upload = await ctx.bucket.createMultipartUpload(key);
      // Reserved only if it still fits: the sum and the insert are one statement, so racing pushes
      // cannot overshoot the quota together.
      const insert = insertSelect(
        orm,
        documents,
        {
          id: args.id,
          name: args.name,
          type,
          contentType: contentTypeOf(args.name, type),
          size: args.size,
          sha256: args.sha256,
          status: "uploading",
          r2Key: key,
          multipartUploadId: upload.uploadId,
          tags: args.tags,
          projectId: args.job_id,
          uploadedByType: "user",
          uploadedById: ctx.userId,
          createdAt: now,
          updatedAt: now,
          uploadExpiresAt: now + 7 * 86_400_000,
        },
        sql`WHERE (SELECT coalesce(sum(${documents.size}), 0) FROM ${documents}) + ${args.size} <= ${ctx.quotaBytes}`,
      ).onConflictDoNothing({ target: documents.id });
      started.push({ upload, insert });
      return [insert];
    }
  }
}

const logStatement = (ctx: PushContext, mutation: SyncMutation, rejection: Rejection | null) =>
  drizzle(ctx.db)
    .insert(syncMutationLog)
    .values({
      deviceId: ctx.deviceId,
      mutationId: mutation.id,
      name: mutation.name,
      outcome: rejection ? "rejected" : "applied",
      code: rejection?.code ?? null,
      message: rejection?.message ?? null,
      at: Date.now(),
    });

const deviceAdvance = (ctx: PushContext, id: number) =>
  drizzle(ctx.db)
    .update(syncDevices)
    // SQLite's two-argument max(): a racing push that got further is never moved back.
    .set({ lastMutationId: sql`max(${syncDevices.lastMutationId}, ${id})`, updatedAt: Date.now() })
    .where(eq(syncDevices.deviceId, ctx.deviceId));

/** Best effort: an upload left unaborted expires with R2's lifecycle rule for incomplete uploads. */
async function abortUploads(started: StartedUpload[]): Promise<void> {
  for (const { upload } of started) {
    await upload.abort().catch((error: unknown) => {
      console.warn(
        JSON.stringify({
          level: "warn",
          event: "sync_upload_abort_failed",
          key: upload.key,
          error: String(error),
        }),
      );
    });
  }
}

const isDuplicateLog = (error: unknown) =>
  String(error).includes("UNIQUE constraint failed: sync_mutation_log");

/** Applies the mutations after `lastApplied`; returns the new last id and this push's rejections. */
export async function applyMutations(ctx: PushContext, mutations: SyncMutation[], lastApplied: number) {
  // Mutations of this push the server already handled: a resent batch (its answer was lost) must
  // report their rejections again, or the device would never learn why an edit vanished.
  const resent = mutations.filter((mutation) => mutation.id <= lastApplied).map((mutation) => mutation.id);
  const earlier =
    resent.length > 0
      ? await drizzle(ctx.db)
          .select({
            mutation_id: syncMutationLog.mutationId,
            code: syncMutationLog.code,
            message: syncMutationLog.message,
          })
          .from(syncMutationLog)
          .where(
            and(
              eq(syncMutationLog.deviceId, ctx.deviceId),
              eq(syncMutationLog.outcome, "rejected"),
              between(syncMutationLog.mutationId, Math.min(...resent), Math.max(...resent)),
            ),
          )
          .orderBy(asc(syncMutationLog.mutationId))
      : [];
  // A rejected mutation is always logged with its code and message.
  const rejected = earlier.map((row) => ({ ...row, code: row.code ?? "", message: row.message ?? "" }));
  let last = lastApplied;
  for (const mutation of mutations) {
    if (mutation.id <= last) continue; // already applied: acknowledged without effect
    let statements: Statement[];
    let rejection: Rejection | null = null;
    const started: StartedUpload[] = [];
    try {
      statements = await effects(ctx, mutation, started);
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      rejection = error;
      statements = [];
    }
    try {
      const results = await drizzle(ctx.db).batch([
        logStatement(ctx, mutation, rejection),
        ...statements,
        deviceAdvance(ctx, mutation.id),
      ]);
      // A photo's row that was not written (registered meanwhile by a concurrent push, or the quota
      // filled up) leaves its multipart upload nobody's.
      const unrecorded = started.filter(
        ({ insert }) => (results[1 + statements.indexOf(insert)]?.meta.changes ?? 0) === 0,
      );
      await abortUploads(unrecorded);
    } catch (error) {
      await abortUploads(started);
      // A concurrent push applied it first: its effect is there once.
      if (!isDuplicateLog(error)) throw error;
    }
    if (rejection)
      rejected.push({ mutation_id: mutation.id, code: rejection.code, message: rejection.message });
    last = mutation.id;
  }
  return { last, rejected };
}
