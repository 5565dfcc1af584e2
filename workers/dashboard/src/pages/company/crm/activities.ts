// A project's activities as the timeline shows them: what happened, who did it, where (check-ins
// carry GPS) and, for stage changes, from where to where and why. `data` is free-form in the
// contract, so its known shapes are parsed here rather than trusted.
import type { Activity, ActivityType } from "@nexus/contracts";
import { z } from "zod";

const ACTIVITY_LABELS: Record<ActivityType, string> = {
  note: "Note",
  call: "Call",
  email: "Email",
  site_visit: "Site visit",
  check_in: "Check-in",
  status_change: "Stage change",
};

export const activityLabel = (type: ActivityType): string => ACTIVITY_LABELS[type];

const GpsSchema = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  accuracy_m: z.number().min(0).optional(),
});
export type Gps = z.infer<typeof GpsSchema>;

export function gpsOf(activity: Pick<Activity, "data">): Gps | undefined {
  const parsed = GpsSchema.safeParse(activity.data.gps);
  return parsed.success ? parsed.data : undefined;
}

/** "53.79648, -1.54785 (±12 m)": five decimals are about a metre. */
export function formatGps(gps: Gps): string {
  const position = `${gps.lat.toFixed(5)}, ${gps.lng.toFixed(5)}`;
  return gps.accuracy_m === undefined ? position : `${position} (±${Math.round(gps.accuracy_m)} m)`;
}

export const openStreetMapUrl = (gps: Gps): string =>
  `https://www.openstreetmap.org/?mlat=${gps.lat}&mlon=${gps.lng}#map=17/${gps.lat}/${gps.lng}`;

const StageChangeSchema = z.object({
  from: z.string().nullable(),
  to: z.string(),
  kind: z.enum(["created", "advance", "skip", "back"]),
});
export type StageChange = z.infer<typeof StageChangeSchema>;

export function stageChangeOf(activity: Pick<Activity, "type" | "data">): StageChange | undefined {
  if (activity.type !== "status_change") return undefined;
  const parsed = StageChangeSchema.safeParse(activity.data);
  return parsed.success ? parsed.data : undefined;
}

/** "Created in Enquiry", "Advanced from Enquiry to Consultation", "Moved back from … to …". */
export function describeStageChange(change: StageChange, nameOf: (key: string) => string): string {
  const to = nameOf(change.to);
  const from = change.from === null ? undefined : nameOf(change.from);
  if (change.kind === "created" || from === undefined) return `Created in ${to}`;
  const verb = { advance: "Advanced", skip: "Skipped ahead", back: "Moved back" }[change.kind];
  return `${verb} from ${from} to ${to}`;
}

/** Whole days from `iso` to `now` (0 on the day itself). */
export function daysSince(iso: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(iso)) / 86_400_000));
}

/** How long a project has been in its stage: "since today", "1 day", "12 days". */
export function formatDaysInStage(days: number): string {
  return days === 0 ? "since today" : `${days} day${days === 1 ? "" : "s"}`;
}

const ACTOR_LABELS: Record<string, string> = {
  operator: "A Nexus operator",
  api_key: "An API key",
  installation: "An app installation",
  system: "Nexus",
};

/** Who did it: a member's name when the page knows it. */
export function actorLabel(actor: Activity["actor"], names: ReadonlyMap<string, string>): string {
  if (actor.type === "user") return (actor.id && names.get(actor.id)) || "A team member";
  return ACTOR_LABELS[actor.type] ?? "Someone";
}
