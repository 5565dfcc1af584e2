// The one definition of an installation being online, shared by the API (the CompanyHub announces
// an installation online when a heartbeat makes it so) and the dashboard (status badges and counts).
import type { PresenceStatus } from "../live/schemas.ts";

/** The desktop app heartbeats this often (±10 % jitter). */
export const HEARTBEAT_INTERVAL_SECONDS = 300;

/**
 * Online means a heartbeat within this window: about two intervals, so one lost heartbeat (or the
 * jitter) does not flip an installation offline, plus the hub's flush to D1 (a minute by default).
 */
export const HEARTBEAT_ONLINE_WINDOW_MS = 2 * HEARTBEAT_INTERVAL_SECONDS * 1000 + 60_000;

export type InstallationStatus = "online" | "offline" | "inactive";

/** What the live channel last said of an installation (`installation.presence`). */
export interface InstallationPresence {
  status: PresenceStatus;
  /** When the hub sent it (ISO). */
  at: string;
  /** The hub's latest heartbeat of the installation, fresher than the list's (ISO); null: never. */
  last_heartbeat_at?: string | null | undefined;
}

const time = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : Number.NaN);

/** Whether a heartbeat at `lastHeartbeatAt` (ms, or null for never) still counts as online at `now`. */
export function heartbeatIsRecent(lastHeartbeatAt: number | null, now: number): boolean {
  // Never heard from is never online; a clock a little ahead of ours still counts.
  return lastHeartbeatAt !== null && now - lastHeartbeatAt <= HEARTBEAT_ONLINE_WINDOW_MS;
}

/** The later of the list's last heartbeat and the live channel's (ISO), or null if neither has one. */
export function latestHeartbeat(
  installation: { last_heartbeat_at: string | null },
  presence: InstallationPresence | undefined,
): string | null {
  const listed = installation.last_heartbeat_at;
  const live = presence?.last_heartbeat_at ?? null;
  if (listed === null || live === null) return listed ?? live;
  return time(live) > time(listed) ? live : listed;
}

/**
 * Online: holds a seat and sent a heartbeat within HEARTBEAT_ONLINE_WINDOW_MS. An open live socket
 * alone is not enough (an installation that never sent a heartbeat is never online), but a socket
 * closed after the last heartbeat means the app quit: offline at once, not minutes later.
 */
export function installationStatus(
  installation: { is_active: boolean; last_heartbeat_at: string | null },
  presence: InstallationPresence | undefined,
  now: number,
): InstallationStatus {
  // "dead": the hub freed the seat of an installation that went silent.
  if (presence?.status === "dead") return "inactive";
  // A revived installation's presence is newer than a list that still has it without a seat.
  if (!installation.is_active && presence?.status !== "online") return "inactive";
  const lastHeartbeat = time(latestHeartbeat(installation, presence));
  if (Number.isNaN(lastHeartbeat)) return "offline";
  if (presence?.status === "offline" && time(presence.at) >= lastHeartbeat) return "offline";
  return heartbeatIsRecent(lastHeartbeat, now) ? "online" : "offline";
}
