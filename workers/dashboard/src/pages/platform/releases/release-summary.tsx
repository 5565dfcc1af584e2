// How a release reads wherever it is shown (the operator's screens and a company's): its status and
// its rollout in words, the colour only repeating them.
import type { Release } from "@nexus/contracts";
import type { ReactNode } from "react";
import { Link } from "../../../components/link.tsx";

const STATUS_LABELS: Record<Release["status"], string> = {
  draft: "Draft",
  published: "Published",
  yanked: "Yanked",
};

export function ReleaseStatusBadge({ status }: { status: Release["status"] }) {
  return <span className={`badge badge-release-${status}`}>{STATUS_LABELS[status]}</span>;
}

const percent = (value: number) => `${Math.round(value * 10) / 10} %`;

/** The release's fields a rollout reads from; `halted_by_health_at` says who halted it. */
type RolloutOf = Pick<Release, "status" | "rollout"> & { halted_by_health_at?: string | null };

/** "Rolling out · 25 %", "Paused at 25 %", "Halted": only published releases have a rollout. */
export function rolloutText(release: RolloutOf): string {
  const { rollout } = release;
  if (release.status === "draft") return "Not published";
  if (release.status === "yanked") return "Withdrawn";
  if (rollout.state === "halted") return release.halted_by_health_at ? "Halted by release health" : "Halted";
  if (rollout.state === "paused") return `Paused at ${percent(rollout.effective_percent)}`;
  if (rollout.effective_percent >= 100) return "Everyone";
  const ramp = rollout.ramp_hours === null ? "" : `, ramping to 100 % over ${rollout.ramp_hours} h`;
  return `Rolling out · ${percent(rollout.effective_percent)}${ramp}`;
}

export function RolloutBadge({ release }: { release: RolloutOf }) {
  const tone = release.status !== "published" ? "muted" : release.rollout.state;
  return <span className={`release-rollout release-rollout-${tone}`}>{rolloutText(release)}</span>;
}

/** "Mandatory, from 1.2.0" and the like; null when the release asks nothing of older versions. */
export function requirementText(release: Pick<Release, "mandatory" | "minimum_version">): string | null {
  const parts = [
    release.mandatory ? "Mandatory" : null,
    release.minimum_version ? `minimum version ${release.minimum_version}` : null,
  ].filter((part) => part !== null);
  if (parts.length === 0) return null;
  const text = parts.join(", ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const UNITS = ["bytes", "KiB", "MiB", "GiB"];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

export const releasePath = (releaseId?: string): string =>
  releaseId ? `/platform/releases/${encodeURIComponent(releaseId)}` : "/platform/releases";

/**
 * The first cells of a release's row in any table of releases: the version (linked to its page)
 * with a line under it, its status, and its rollout with what it requires of older versions.
 */
export function ReleaseRowCells({
  release,
  subtitle,
  rolloutNote,
  linked = true,
}: {
  release: Release;
  subtitle?: string | null;
  /** Link the version to the release's page (operators' screens only: others cannot open it). */
  linked?: boolean;
  /** Another line under the rollout (e.g. that a company's pin holds it back). */
  rolloutNote?: ReactNode;
}) {
  const requirement = requirementText(release);
  return (
    <>
      <th scope="row">
        {linked ? <Link href={releasePath(release.id)}>{release.version}</Link> : release.version}
        {subtitle && <span className="muted small updates-block">{subtitle}</span>}
      </th>
      <td>
        <ReleaseStatusBadge status={release.status} />
      </td>
      <td>
        <RolloutBadge release={release} />
        {requirement && <span className="muted small updates-block">{requirement}</span>}
        {rolloutNote && <span className="muted small updates-block">{rolloutNote}</span>}
      </td>
    </>
  );
}

/** "Releases /" above a release page's title: the way back to the list. */
export function ReleasesCrumb() {
  return (
    <p className="muted small">
      <Link href={releasePath()}>Releases</Link> /
    </p>
  );
}
