// Push: a device's mutations, applied in order, each in one D1 batch that starts by logging the
// mutation (device, id): a mutation that was already applied fails that insert and changes nothing.
// A business-rule refusal is logged as rejected and the next mutation goes on; anything else
// (D1 unavailable…) stops the push with what was applied so far, so the device retries from there.
import { type SyncMutation, type SyncMutationName, syncMutations } from "@nexus/contracts";
import type { z } from "zod";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import type { ProjectScope } from "../crm/caller.ts";
import { loadProject } from "../crm/projects.ts";
import { planMove } from "../crm/stages.ts";
import { documentKey } from "../documents/library.ts";
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

function activityInsert(
  ctx: PushContext,
  id: string,
  jobId: string,
  type: string,
  body: string | null,
  data: object,
  occurredAt: number,
) {
  return ctx.db
    .prepare(
      `INSERT INTO activities (id, project_id, type, body, data, actor_type, actor_id, occurred_at, created_at)
       VALUES (?, ?, ?, ?, ?, 'user', ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(id, jobId, type, body, JSON.stringify(data), ctx.userId, occurredAt, Date.now());
}

/** A multipart upload started for a photo, and the statement that records it. */
interface StartedUpload {
  upload: R2MultipartUpload;
  insert: D1PreparedStatement;
}

/**
 * The statements that apply one mutation (after its log row), or a Rejection. Multipart uploads it
 * starts go into `started`, so they can be aborted if their row is not written.
 */
async function effects(
  ctx: PushContext,
  mutation: SyncMutation,
  started: StartedUpload[],
): Promise<D1PreparedStatement[]> {
  const schema = syncMutations[mutation.name];
  const parsed = schema.safeParse(mutation.args);
  if (!parsed.success) {
    throw new Rejection(
      "INVALID_ARGS",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  }
  const now = Date.now();
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
        ctx.db
          .prepare("UPDATE projects SET stage = ?, updated_at = ? WHERE id = ?")
          .bind(args.stage, now, row.id),
        activityInsert(
          ctx,
          newId(now),
          row.id,
          "status_change",
          null,
          { from: row.stage, to: args.stage, kind: "advance", device_id: ctx.deviceId },
          now,
        ),
      ];
    }
    case "job.setStatus": {
      const args = parsed.data as Args<"job.setStatus">;
      const { row } = await jobFor(ctx, args.job_id);
      return [
        ctx.db
          .prepare("UPDATE projects SET status = ?, updated_at = ? WHERE id = ?")
          .bind(args.status, now, row.id),
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
          ctx.db
            .prepare(
              "INSERT INTO sync_overwrites (project_id, field, previous, value, device_id, mutation_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(
              row.id,
              field,
              JSON.stringify(current[field]),
              JSON.stringify(value),
              ctx.deviceId,
              mutation.id,
              now,
            ),
        );
      return [
        ...overwrites,
        ctx.db
          .prepare(
            `UPDATE projects SET title = coalesce(?, title),
               expected_completion = CASE WHEN ? THEN ? ELSE expected_completion END,
               checklist = json_patch(checklist, ?), updated_at = ? WHERE id = ?`,
          )
          .bind(
            args.fields.title ?? null,
            args.fields.expected_completion !== undefined ? 1 : 0,
            args.fields.expected_completion ?? null,
            JSON.stringify(args.fields.checklist ?? {}),
            now,
            row.id,
          ),
      ];
    }
    case "checkin.create": {
      const args = parsed.data as Args<"checkin.create">;
      await jobFor(ctx, args.job_id);
      const at = args.occurred_at ? Date.parse(args.occurred_at) : now;
      return [
        activityInsert(
          ctx,
          args.id,
          args.job_id,
          "check_in",
          args.note ?? null,
          { gps: args.gps, device_id: ctx.deviceId },
          at,
        ),
      ];
    }
    case "note.create": {
      const args = parsed.data as Args<"note.create">;
      await jobFor(ctx, args.job_id);
      const at = args.occurred_at ? Date.parse(args.occurred_at) : now;
      return [activityInsert(ctx, args.id, args.job_id, "note", args.body, { device_id: ctx.deviceId }, at)];
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
      const existing = await ctx.db.prepare("SELECT 1 FROM documents WHERE id = ?").bind(args.id).first();
      if (existing) return [];
      const used = await ctx.db
        .prepare("SELECT coalesce(sum(size), 0) AS used FROM documents")
        .first<{ used: number }>();
      if ((used?.used ?? 0) + args.size > ctx.quotaBytes) {
        throw new Rejection("STORAGE_QUOTA_EXCEEDED", "The company's document storage is full.");
      }
      const key = documentKey(ctx.companyId, args.id);
      // Bytes follow through the resumable document upload (PUT …/documents/{id}/parts/{n}).
      const upload = await ctx.bucket.createMultipartUpload(key);
      const insert = ctx.db
        .prepare(
          `INSERT INTO documents (id, name, type, content_type, size, sha256, status, r2_key, multipart_upload_id, tags,
               project_id, uploaded_by_type, uploaded_by_id, created_at, updated_at, upload_expires_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'uploading', ?7, ?8, ?9, ?10, 'user', ?11, ?12, ?12, ?13
             WHERE (SELECT coalesce(sum(size), 0) FROM documents) + ?5 <= ?14
             ON CONFLICT (id) DO NOTHING`,
        )
        .bind(
          args.id,
          args.name,
          type,
          contentTypeOf(args.name, type),
          args.size,
          args.sha256,
          key,
          upload.uploadId,
          JSON.stringify(args.tags),
          args.job_id,
          ctx.userId,
          now,
          now + 7 * 86_400_000,
          ctx.quotaBytes,
        );
      started.push({ upload, insert });
      return [insert];
    }
  }
}

function logStatement(ctx: PushContext, mutation: SyncMutation, rejection: Rejection | null) {
  return ctx.db
    .prepare(
      "INSERT INTO sync_mutation_log (device_id, mutation_id, name, outcome, code, message, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      ctx.deviceId,
      mutation.id,
      mutation.name,
      rejection ? "rejected" : "applied",
      rejection?.code ?? null,
      rejection?.message ?? null,
      Date.now(),
    );
}

const deviceAdvance = (ctx: PushContext, id: number) =>
  ctx.db
    .prepare(
      "UPDATE sync_devices SET last_mutation_id = max(last_mutation_id, ?), updated_at = ? WHERE device_id = ?",
    )
    .bind(id, Date.now(), ctx.deviceId);

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
  const { results: earlier } =
    resent.length > 0
      ? await ctx.db
          .prepare(
            `SELECT mutation_id, code, message FROM sync_mutation_log
             WHERE device_id = ? AND outcome = 'rejected' AND mutation_id BETWEEN ? AND ? ORDER BY mutation_id`,
          )
          .bind(ctx.deviceId, Math.min(...resent), Math.max(...resent))
          .all<{ mutation_id: number; code: string; message: string }>()
      : { results: [] };
  const rejected: { mutation_id: number; code: string; message: string }[] = [...earlier];
  let last = lastApplied;
  for (const mutation of mutations) {
    if (mutation.id <= last) continue; // already applied: acknowledged without effect
    let statements: D1PreparedStatement[];
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
      const results = await ctx.db.batch([
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
