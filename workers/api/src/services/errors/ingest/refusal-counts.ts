// The requests the ingest refuses, counted per project and UTC day in the central
// error_ingest_stats (`malformed`, `rate_limited`; the consumer counts what it accepts). A flood of
// refused requests must not become a flood of D1 writes: each isolate writes a project's counts at
// most once a second and adds up the refusals in between, which it writes with the next one (an
// isolate that then falls quiet leaves that last second's counts unwritten).
import { errorIngestStats } from "@nexus/db/central";
import { sql } from "drizzle-orm";
import type { CentralDb } from "../../../env.ts";

export type Refusal = "malformed" | "rateLimited";

export const REFUSAL_WRITE_INTERVAL_MS = 1000;
const MAX_PROJECTS = 5000;

const pending = new Map<number, { malformed: number; rateLimited: number; writtenAt: number }>();

export async function countRefusal(
  db: CentralDb,
  projectId: number,
  refusal: Refusal,
  now = Date.now(),
): Promise<void> {
  if (pending.size >= MAX_PROJECTS && !pending.has(projectId)) pending.clear();
  const counts = pending.get(projectId) ?? { malformed: 0, rateLimited: 0, writtenAt: 0 };
  counts[refusal] += 1;
  pending.set(projectId, counts);
  if (now - counts.writtenAt < REFUSAL_WRITE_INTERVAL_MS) return;
  const { malformed, rateLimited } = counts;
  pending.set(projectId, { malformed: 0, rateLimited: 0, writtenAt: now });
  const day = new Date(now).toISOString().slice(0, 10);
  try {
    await db
      .insert(errorIngestStats)
      .values({ projectId, day, malformed, rateLimited })
      .onConflictDoUpdate({
        target: [errorIngestStats.projectId, errorIngestStats.day],
        set: {
          malformed: sql`${errorIngestStats.malformed} + ${malformed}`,
          rateLimited: sql`${errorIngestStats.rateLimited} + ${rateLimited}`,
        },
      });
  } catch (error) {
    // Counting must not change the answer: the request is refused either way.
    console.error(
      JSON.stringify({ level: "warn", event: "error_refusal_count_failed", error: String(error) }),
    );
  }
}
