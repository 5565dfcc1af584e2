// The electron-updater feed (generic provider) and the seed's JSON check / download routes.
import { parseChannelFileName, ReleaseFileNameSchema, routes, type UpdatePlatform } from "@nexus/contracts";
import { releaseFiles, releases } from "@nexus/db/central";
import { and, desc, eq, inArray, isNotNull, or } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { honoPath, validQuery } from "../../lib/route.ts";
import { compareVersions } from "../../lib/semver.ts";
import { limitAndCount, limitDownload } from "../../services/rate-limits.ts";
import { renderChannelFile } from "../../services/updates/channel-file.ts";
import {
  type Candidate,
  cachedChannelTree,
  loadCandidates,
  pickRelease,
  receivableChannels,
} from "../../services/updates/feed.ts";
import { type FeedCaller, feedCaller } from "../../services/updates/feed-auth.ts";
import { installationCohort, stagingCohort } from "../../services/updates/rollout.ts";
import { serveFile } from "../../services/updates/serve-file.ts";

const { updateCheck, updateDownload, updateFeed } = routes;

/** The release this caller should run on `channel`/`platform`, or RELEASE_NOT_FOUND. */
async function releaseFor(
  c: Context<AppEnv>,
  caller: FeedCaller,
  channel: string,
  platform: UpdatePlatform,
  cohort: number,
): Promise<Candidate> {
  const db = c.get("db");
  const tree = await cachedChannelTree(db);
  if (!tree.has(channel)) {
    throw new ApiError("CHANNEL_NOT_FOUND", `There is no update channel "${channel}".`);
  }
  const channels = receivableChannels(tree, caller.feed, channel);
  if (!channels) {
    throw new ApiError(
      "CHANNEL_NOT_ALLOWED",
      `This company does not receive the "${channel}" channel. Ask your administrator.`,
      { channel, update_channel: caller.feed.company.updateChannel },
    );
  }
  const picked = pickRelease(await loadCandidates(db, channels, platform), {
    pinnedVersion: caller.feed.company.pinnedVersion,
    cohort,
    now: Date.now(),
  });
  if (!picked) {
    throw new ApiError(
      "RELEASE_NOT_FOUND",
      `No release for ${platform} has been published on "${channel}" yet.`,
    );
  }
  await limitAndCount(c, caller.feed.company.id, caller.installationId, "update_check", {
    releaseId: picked.release.id,
    event: "check",
  });
  return picked;
}

const higher = (a: string | null, b: string | null) => (!a ? b : !b ? a : compareVersions(a, b) >= 0 ? a : b);

async function channelFile(c: Context<AppEnv>, caller: FeedCaller, file: string): Promise<Response> {
  const name = parseChannelFileName(file);
  if (!name) {
    throw new ApiError(
      "CHANNEL_NOT_FOUND",
      `${file} is not a channel file: expected {channel}.yml, {channel}-mac.yml, {channel}-linux.yml or {channel}-linux-{arm64|armv7l}.yml.`,
    );
  }
  const cohort =
    stagingCohort(c.req.header("x-user-staging-id")) ?? (await installationCohort(caller.installationId));
  const picked = await releaseFor(c, caller, name.channel, name.platform, cohort);
  const minimum = higher(picked.release.minimumVersion, caller.feed.company.minimumAppVersion);
  return c.body(renderChannelFile(picked, minimum), 200, {
    "Content-Type": "text/yaml; charset=utf-8",
    // Built per company and cohort, and changes with every rollout step.
    "Cache-Control": "no-store",
  });
}

async function releaseFile(c: Context<AppEnv>, caller: FeedCaller, file: string): Promise<Response> {
  if (!ReleaseFileNameSchema.safeParse(file).success) {
    throw new ApiError("VALIDATION_FAILED", `"${file}" is not a valid file name.`);
  }
  const db = c.get("db");
  const tree = await cachedChannelTree(db);
  const { company } = caller.feed;
  const channels = [
    ...new Set([company.updateChannel, ...caller.feed.granted].flatMap((name) => tree.chain(name))),
  ];
  // Artifacts of published releases; blockmaps of yanked ones too (a differential download from
  // a yanked version needs its blockmap).
  const rows = await db
    .select({ file: releaseFiles, version: releases.version })
    .from(releaseFiles)
    .innerJoin(releases, eq(releases.id, releaseFiles.releaseId))
    .where(
      and(
        eq(releaseFiles.name, file),
        isNotNull(releaseFiles.uploadedAt),
        inArray(releases.channel, channels),
        or(
          eq(releases.status, "published"),
          and(eq(releases.status, "yanked"), eq(releaseFiles.kind, "blockmap")),
        ),
      ),
    )
    .orderBy(desc(releases.publishedAt))
    .limit(5);
  const pin = company.pinnedVersion;
  const row = rows.find(
    (candidate) => !pin || candidate.file.kind === "blockmap" || compareVersions(candidate.version, pin) <= 0,
  );
  if (!row)
    throw new ApiError("FILE_NOT_FOUND", `${file} is not a file of any release this company receives.`);
  // Limited and counted before any bytes go out. Blockmaps (small, and fetched for the installed
  // version as well as the new one) and HEAD requests are free.
  if (row.file.kind === "artifact" && c.req.method === "GET") {
    await limitDownload(
      c,
      company.id,
      caller.installationId,
      row.file.releaseId,
      Boolean(c.req.header("range")),
    );
  }
  return (await serveFile(c, { ...row.file, etag: row.file.sha512 })).response;
}

export const feedRoutes = new Hono<AppEnv>()
  .get(honoPath(updateCheck.path), validQuery(updateCheck.query), async (c) => {
    const caller = await feedCaller(c);
    const query = c.req.valid("query");
    const channel = query.channel === "latest" ? "stable" : query.channel;
    const picked = await releaseFor(
      c,
      caller,
      channel,
      query.platform,
      await installationCohort(caller.installationId),
    );
    const installer = picked.files.find((file) => file.kind === "artifact");
    if (!installer)
      throw new ApiError("RELEASE_NOT_FOUND", "The release has no installer for this platform.");
    const url = new URL(`/api/updates/download/${encodeURIComponent(installer.name)}`, c.req.url);
    url.searchParams.set("company_code", caller.feed.company.companyCode);
    const { release } = picked;
    return c.json({
      success: true as const,
      update_available: compareVersions(release.version, query.version) > 0,
      version: release.version,
      releaseDate: (release.releaseDate ?? release.publishedAt ?? new Date(0)).toISOString(),
      releaseName: release.name,
      releaseNotes: release.notes,
      mandatory: release.mandatory,
      minimumVersion: higher(release.minimumVersion, caller.feed.company.minimumAppVersion),
      url: url.toString(),
      sha512: installer.sha512,
      size: installer.size,
    });
  })
  .get(honoPath(updateDownload.path), async (c) => {
    const caller = await feedCaller(c);
    return releaseFile(c, caller, c.req.param("fileName") ?? "");
  })
  .get(honoPath(updateFeed.path), async (c) => {
    const caller = await feedCaller(c);
    const file = c.req.param("file") ?? "";
    return file.endsWith(".yml") ? channelFile(c, caller, file) : releaseFile(c, caller, file);
  });
