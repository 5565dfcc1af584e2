import { HEARTBEAT_ONLINE_WINDOW_MS } from "@nexus/contracts";
import { type InstallationStatus, STATUS_LABELS } from "../lib/installation-status.ts";

const DESCRIPTIONS: Record<InstallationStatus, string> = {
  online: `Holds a seat and sent a heartbeat within the last ${HEARTBEAT_ONLINE_WINDOW_MS / 60_000} minutes`,
  offline: "Holds a seat, but has not been heard from recently",
  inactive: "No seat: deactivated, or silent for too long",
};

/** The status in words (the colour only repeats it). */
export function StatusBadge({ status }: { status: InstallationStatus }) {
  return (
    <span className={`badge badge-${status}`} title={DESCRIPTIONS[status]}>
      <span className="dot" aria-hidden="true" />
      {STATUS_LABELS[status]}
    </span>
  );
}
