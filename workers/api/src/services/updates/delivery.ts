// What the feed routes answer an installation: the release it should run on a channel (the JSON
// check and electron-updater's channel files) and the release files it may download.
import {
  compareVersions,
  parseChannelFileName,
  ReleaseFileNameSchema,
  type UpdatePlatform,
} from "@nexus/contracts";
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { limitAndCount, limitDownload } from "../rate-limits.ts";
import { renderChannelFile } from "./channel-file.ts";
import {
  type Candidate,
  cachedChannelTree,
  loadCandidates,
  pickRelease,
  receivableChannels,
  servableFiles,
} from "./feed.ts";
import type { FeedCaller } from "./feed-auth.ts";
import { installationCohort, stagingCohort } from "./rollout.ts";
import { serveFile } from "./serve-file.ts";

/** The release this caller should run on `channel`/`platform`, or RELEASE_NOT_FOUND. */
export async function releaseFor(
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

/** The higher of two optional versions. */
export const higher = (a: string | null, b: string | null) =>
  !a ? b : !b ? a : compareVersions(a, b) >= 0 ? a : b;

// Names parsed before: electron-updater asks for the same few all day. Only names that parse are
// kept, and few exist (channels × platforms), the bound only guards against made-up channel names.
const channelFileNames = new Map<string, ReturnType<typeof parseChannelFileName>>();
const MAX_CHANNEL_FILE_NAMES = 256;

function channelFileName(file: string): ReturnType<typeof parseChannelFileName> {
  const known = channelFileNames.get(file);
  if (known) return known;
  const name = parseChannelFileName(file);
  if (name) {
    if (channelFileNames.size >= MAX_CHANNEL_FILE_NAMES) channelFileNames.clear();
    channelFileNames.set(file, name);
  }
  return name;
}

export async function channelFile(c: Context<AppEnv>, caller: FeedCaller, file: string): Promise<Response> {
  const name = channelFileName(file);
  if (!name) {
    throw new ApiError(
      "CHANNEL_NOT_FOUND",
      `${file} is not a channel file: expected {channel}.yml, {channel}-mac.yml, {channel}-linux.yml or {channel}-linux-{arm64|armv7l}.yml.`,
    );
  }
  const cohort =
    stagingCohort(c.req.header("x-user-staging-id")) ?? (await installationCohort(caller.installationId));
  const picked = await releaseFor(c, caller, name.channel, name.platform, cohort);
  return c.body(cachedChannelFile(picked, caller.feed.company.minimumAppVersion), 200, CHANNEL_FILE_HEADERS);
}

const CHANNEL_FILE_HEADERS = {
  "Content-Type": "text/yaml; charset=utf-8",
  // Built per company and cohort, and changes with every rollout step.
  "Cache-Control": "no-store",
};

// Channel files rendered per candidate and company minimum version. The candidates are the feed
// cache's objects, replaced whenever it reloads (FEED_CACHE_MS) or is cleared (clearFeedCache), so
// a rendered file lives exactly as long as the release data it was made from. Companies set few
// distinct minimum versions; the bound only guards against many.
const renderedChannelFiles = new WeakMap<Candidate, Map<string, string>>();
const MAX_RENDERED_PER_CANDIDATE = 64;

function cachedChannelFile(picked: Candidate, companyMinimum: string | null): string {
  let byMinimum = renderedChannelFiles.get(picked);
  if (!byMinimum) {
    byMinimum = new Map();
    renderedChannelFiles.set(picked, byMinimum);
  }
  const key = companyMinimum ?? "";
  let text = byMinimum.get(key);
  if (text === undefined) {
    text = renderChannelFile(picked, higher(picked.release.minimumVersion, companyMinimum));
    if (byMinimum.size >= MAX_RENDERED_PER_CANDIDATE) byMinimum.clear();
    byMinimum.set(key, text);
  }
  return text;
}

export async function releaseFile(c: Context<AppEnv>, caller: FeedCaller, file: string): Promise<Response> {
  if (!ReleaseFileNameSchema.safeParse(file).success) {
    throw new ApiError("VALIDATION_FAILED", `"${file}" is not a valid file name.`);
  }
  const db = c.get("db");
  const tree = await cachedChannelTree(db);
  const { company } = caller.feed;
  const channels = [
    ...new Set([company.updateChannel, ...caller.feed.granted].flatMap((name) => tree.chain(name))),
  ];
  const rows = await servableFiles(db, channels, file);
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
