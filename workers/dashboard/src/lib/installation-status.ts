// Whether an installation is online, from what the dashboard knows: the live channel's presence
// messages when it has them, else the last heartbeat the API recorded.
import type { InstallationSchema, ServerMessage } from "@nexus/contracts";
import type { z } from "zod";

export type Installation = z.infer<typeof InstallationSchema>;
export type PresenceMessage = Extract<ServerMessage, { type: "installation.presence" }>;
export type PresenceStatus = PresenceMessage["status"];
export type InstallationStatus = "online" | "offline" | "inactive";

/**
 * The desktop app heartbeats every 5 minutes (±10 % jitter) and the company's hub writes
 * `last_heartbeat_at` to D1 once per flush interval (a minute by default): an installation is
 * online until it has missed about two heartbeats.
 */
export const HEARTBEAT_ONLINE_WINDOW_MS = 11 * 60_000;

export function installationStatus(
  installation: Pick<Installation, "is_active" | "last_heartbeat_at">,
  presence: PresenceStatus | undefined,
  now: number,
): InstallationStatus {
  // A live socket is the freshest evidence there is; the hub only accepts seat holders' sockets.
  if (presence === "online") return "online";
  // "dead": the hub freed the seat of an installation that went silent.
  if (presence === "dead" || !installation.is_active) return "inactive";
  if (presence === "offline") return "offline";
  const lastHeartbeat = installation.last_heartbeat_at
    ? Date.parse(installation.last_heartbeat_at)
    : Number.NaN;
  return now - lastHeartbeat <= HEARTBEAT_ONLINE_WINDOW_MS ? "online" : "offline";
}

export const STATUS_LABELS: Record<InstallationStatus, string> = {
  online: "Online",
  offline: "Offline",
  inactive: "Inactive",
};

/** Counts per label, most common first, e.g. app versions or operating systems. */
export function countBy<T>(
  items: readonly T[],
  label: (item: T) => string,
): { label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = label(item);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([key, count]) => ({ label: key, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}
