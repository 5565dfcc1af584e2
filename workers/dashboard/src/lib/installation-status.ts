// Installations as the dashboard shows them: the status words, and counts per label. Whether one is
// online is decided by @nexus/contracts (installationStatus), the rule the API's hub follows too.
import type { InstallationPresence, InstallationSchema, InstallationStatus } from "@nexus/contracts";
import type { z } from "zod";

export type Installation = z.infer<typeof InstallationSchema>;
export type { InstallationPresence, InstallationStatus };

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
