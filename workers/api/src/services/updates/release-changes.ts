// Operators' release management: drafts with declared files, publishing, staged rollouts, yanking.
// Every change is audited in the same batch, drops the feed's cached catalogue, and answers with
// the release as it is now.
import type { Release, routes } from "@nexus/contracts";
import { releaseFiles, releases } from "@nexus/db/central";
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { auditStatement } from "../audit.ts";
import { listPage } from "../list-page.ts";
import { dispatchEvents, eventStatement } from "../webhook-events.ts";
import { loadChannelTree } from "./channels.ts";
import { clearFeedCache } from "./feed.ts";
import { notifyReleaseAvailable } from "./notify.ts";
import {
  artifactKey,
  filesOf,
  loadRelease,
  type ReleaseRow,
  requireChannel,
  requireStatus,
  toReleaseView,
} from "./releases.ts";
import { heldRollout } from "./rollout.ts";

type BodyOf<K extends keyof typeof routes> = (typeof routes)[K] extends { body: infer B extends z.ZodType }
  ? z.output<B>
  : never;

type RolloutUpdate = Partial<
  Pick<ReleaseRow, "rolloutPercent" | "rolloutRampSeconds" | "rolloutState" | "rolloutStartedAt">
>;

const rolloutFrom = (input: { percent: number; ramp_hours?: number | null | undefined }, now: Date) => ({
  rolloutPercent: input.percent,
  rolloutRampSeconds: input.ramp_hours ? Math.round(input.ramp_hours * 3600) : null,
  rolloutState: "active" as const,
  rolloutStartedAt: now,
});

/** One page of releases, newest first, with their files. */
export async function releasePage(
  c: Context<AppEnv>,
  query: z.output<(typeof routes)["listReleases"]["query"]>,
): Promise<{ releases: Release[]; next_cursor: string | null }> {
  const db = c.get("db");
  const { channel, version, status } = query;
  const page = await listPage(
    query,
    releases.id,
    [
      channel ? eq(releases.channel, channel) : undefined,
      version ? eq(releases.version, version) : undefined,
      status ? eq(releases.status, status) : undefined,
    ],
    ({ where, orderBy, limit }) => db.select().from(releases).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
  const files = await filesOf(
    db,
    page.items.map((row) => row.id),
  );
  return {
    releases: page.items.map((row) => toReleaseView(row, files.get(row.id) ?? [])),
    next_cursor: page.nextCursor,
  };
}

export async function createDraft(c: Context<AppEnv>, input: BodyOf<"createRelease">): Promise<Release> {
  const db = c.get("db");
  await requireChannel(db, input.channel);
  const names = input.files.map((file) => file.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new ApiError("VALIDATION_FAILED", `File ${duplicate} is declared twice.`);
  const [existing] = await db
    .select({ id: releases.id, status: releases.status })
    .from(releases)
    .where(and(eq(releases.channel, input.channel), eq(releases.version, input.version)))
    .limit(1);
  if (existing) {
    throw new ApiError(
      "RELEASE_EXISTS",
      `Version ${input.version} already exists on ${input.channel} (${existing.status}).`,
      { release_id: existing.id, status: existing.status },
    );
  }
  const id = newId();
  const now = new Date();
  await db.batch([
    db.insert(releases).values({
      id,
      channel: input.channel,
      version: input.version,
      name: input.name ?? null,
      notes: input.notes ?? null,
      releaseDate: input.release_date ? new Date(input.release_date) : null,
      minimumVersion: input.minimum_version ?? null,
      mandatory: input.mandatory,
      updatedAt: now,
    }),
    db.insert(releaseFiles).values(
      input.files.map((file) => ({
        releaseId: id,
        name: file.name,
        platform: file.platform,
        kind: file.kind,
        size: file.size,
        sha512: file.sha512,
        blockMapSize: file.block_map_size ?? null,
        r2Key: artifactKey(id, file.name),
      })),
    ),
    auditStatement(c, {
      companyId: null,
      action: "release.created",
      targetType: "release",
      targetId: id,
      details: { channel: input.channel, version: input.version, files: names },
    }),
  ]);
  const loaded = await loadRelease(db, id);
  return toReleaseView(loaded.release, loaded.files);
}

export async function editRelease(
  c: Context<AppEnv>,
  releaseId: string,
  input: BodyOf<"updateRelease">,
): Promise<Release> {
  const db = c.get("db");
  const { release } = await loadRelease(db, releaseId);
  requireStatus(release, ["draft", "published"], "edit it");
  await db.batch([
    db
      .update(releases)
      .set({
        name: input.name,
        notes: input.notes,
        minimumVersion: input.minimum_version,
        mandatory: input.mandatory,
        healthHaltBelow: input.health_halt_below,
        healthMinSessions: input.health_min_sessions,
        // A new threshold re-arms the automatic halt: it halts a release once, so that resuming a
        // release it halted is the operator's call, until the operator sets the rule again.
        ...(input.health_halt_below !== undefined || input.health_min_sessions !== undefined
          ? { haltedByHealthAt: null }
          : {}),
        updatedAt: new Date(),
      })
      .where(eq(releases.id, releaseId)),
    auditStatement(c, {
      companyId: null,
      action: "release.updated",
      targetType: "release",
      targetId: releaseId,
      details: { changes: input },
    }),
  ]);
  return afterChange(c, releaseId, release.status === "published");
}

export async function publishDraft(
  c: Context<AppEnv>,
  releaseId: string,
  { rollout }: BodyOf<"publishRelease">,
): Promise<Release> {
  const db = c.get("db");
  const { release, files } = await loadRelease(db, releaseId);
  requireStatus(release, ["draft"], "publish it");
  const missing = files.filter((file) => file.uploadedAt === null).map((file) => file.name);
  if (missing.length > 0) {
    throw new ApiError(
      "UPLOAD_INCOMPLETE",
      `Upload every declared file before publishing; missing: ${missing.join(", ")}.`,
      { missing },
    );
  }
  const now = new Date();
  const event = eventStatement(
    db,
    {
      companyId: null,
      type: "release.published",
      data: {
        release_id: releaseId,
        channel: release.channel,
        version: release.version,
        rollout_percent: rollout?.percent ?? 100,
      },
      channels: (await loadChannelTree(db)).receivers(release.channel),
    },
    { ifPreviousChanged: true },
  );
  // The status guard in the WHERE makes a concurrent second publish a no-op, not a double publish.
  await db.batch([
    db
      .update(releases)
      .set({
        status: "published",
        publishedAt: now,
        releaseDate: release.releaseDate ?? now,
        ...rolloutFrom(rollout ?? { percent: 100 }, now),
        updatedAt: now,
      })
      .where(and(eq(releases.id, releaseId), eq(releases.status, "draft"))),
    event.statement,
    auditStatement(c, {
      companyId: null,
      action: "release.published",
      targetType: "release",
      targetId: releaseId,
      details: {
        channel: release.channel,
        version: release.version,
        rollout: rollout ?? { percent: 100 },
      },
    }),
  ]);
  await dispatchEvents(c.env, [event.id]);
  return afterChange(c, releaseId, true);
}

export async function changeReleaseRollout(
  c: Context<AppEnv>,
  releaseId: string,
  input: BodyOf<"changeRollout">,
): Promise<Release> {
  const db = c.get("db");
  const { release } = await loadRelease(db, releaseId);
  requireStatus(release, ["published"], `${input.action} its rollout`);
  const now = new Date();
  let change: RolloutUpdate;
  switch (input.action) {
    case "pause":
    case "halt":
      change = heldRollout(release, input.action === "pause" ? "paused" : "halted", now.getTime());
      break;
    case "resume":
      if (release.rolloutState === "active") {
        throw new ApiError("RELEASE_STATE_CONFLICT", "The rollout is not paused or halted.");
      }
      change = { rolloutState: "active", rolloutStartedAt: now };
      break;
    case "set":
      change = rolloutFrom(input, now);
      break;
  }
  const halted =
    input.action === "halt" && release.rolloutState !== "halted"
      ? eventStatement(db, {
          companyId: null,
          type: "rollout.halted",
          data: {
            release_id: releaseId,
            channel: release.channel,
            version: release.version,
            reason: "manual",
          },
          channels: (await loadChannelTree(db)).receivers(release.channel),
        })
      : null;
  await db.batch([
    db
      .update(releases)
      .set({ ...change, updatedAt: now })
      .where(eq(releases.id, releaseId)),
    ...(halted ? [halted.statement] : []),
    auditStatement(c, {
      companyId: null,
      action: `release.rollout_${input.action}`,
      targetType: "release",
      targetId: releaseId,
      details: { ...input, version: release.version, channel: release.channel },
    }),
  ]);
  if (halted) await dispatchEvents(c.env, [halted.id]);
  return afterChange(c, releaseId, input.action === "resume" || input.action === "set");
}

export async function yank(
  c: Context<AppEnv>,
  releaseId: string,
  { reason }: BodyOf<"yankRelease">,
): Promise<Release> {
  const db = c.get("db");
  const { release } = await loadRelease(db, releaseId);
  requireStatus(release, ["published"], "yank it");
  const now = new Date();
  await db.batch([
    db
      .update(releases)
      .set({ status: "yanked", yankedAt: now, yankedReason: reason, updatedAt: now })
      .where(eq(releases.id, releaseId)),
    auditStatement(c, {
      companyId: null,
      action: "release.yanked",
      targetType: "release",
      targetId: releaseId,
      details: { version: release.version, channel: release.channel, reason },
    }),
  ]);
  return afterChange(c, releaseId, false);
}

/**
 * The release as it is now; the feed's cached catalogue is dropped, and when the change can offer
 * the release to more installations, their companies are told after the response.
 */
async function afterChange(c: Context<AppEnv>, releaseId: string, widened: boolean): Promise<Release> {
  const db = c.get("db");
  clearFeedCache();
  const loaded = await loadRelease(db, releaseId);
  if (widened && loaded.release.status === "published") {
    const tree = await loadChannelTree(db);
    c.executionCtx.waitUntil(notifyReleaseAvailable(c.env, db, tree, loaded.release));
  }
  return toReleaseView(loaded.release, loaded.files);
}
