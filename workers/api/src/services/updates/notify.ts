// After a release becomes available (published, widened, resumed): every company that receives its
// channel reloads its state (the channel's minimum version drives heartbeats' force_update) and
// pushes `update.available` to its live installations. Runs after the response (waitUntil), a few
// hubs at a time; a hub that cannot be told picks the change up within COMPANY_STATE_TTL_MS.
import { companies, companyUpdateAccess } from "@nexus/db/central";
import { and, inArray, isNull, or } from "drizzle-orm";
import type { CentralDb } from "../../env.ts";
import { companyHub } from "../hub.ts";
import { notifyReleasePublished } from "../notifications/system-events.ts";
import type { ChannelTree } from "./channels.ts";

const CONCURRENCY = 8;

export async function notifyReleaseAvailable(
  env: Env,
  db: CentralDb,
  tree: ChannelTree,
  release: { channel: string; version: string },
): Promise<number> {
  const receivers = tree.receivers(release.channel);
  const rows = await db
    .select({ id: companies.id })
    .from(companies)
    .where(
      and(
        isNull(companies.suspendedAt),
        or(
          inArray(companies.updateChannel, receivers),
          inArray(
            companies.id,
            db
              .select({ id: companyUpdateAccess.companyId })
              .from(companyUpdateAccess)
              .where(inArray(companyUpdateAccess.channel, receivers)),
          ),
        ),
      ),
    );
  const queue = rows.map((row) => row.id);
  let notified = 0;
  const worker = async () => {
    for (let companyId = queue.shift(); companyId; companyId = queue.shift()) {
      try {
        await companyHub(env, companyId).releaseAvailable(companyId, release.version, release.channel);
        // Owners and admins hear of it too (queued, once per channel and version; never throws).
        await notifyReleasePublished(env, companyId, release);
        notified += 1;
      } catch (error) {
        console.error(
          JSON.stringify({ level: "warn", event: "release_notify_failed", companyId, error: String(error) }),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return notified;
}
