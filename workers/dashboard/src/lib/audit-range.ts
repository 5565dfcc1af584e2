// The audit log's filters in the address query (so a filtered view can be linked), what the API is
// asked for, and the time range's conversions between ISO times and `datetime-local` inputs.
import { AuditLogQuerySchema, IsoDateSchema } from "@nexus/contracts";

export const ACTOR_TYPES = AuditLogQuerySchema.shape.actor_type.unwrap().options;
export type ActorType = (typeof ACTOR_TYPES)[number];

export interface AuditFilters {
  action: string;
  actor_type: ActorType | "";
  actor_id: string;
  /** ISO times, or "" for open ends. */
  from: string;
  to: string;
  /** Entries per page (the API's `limit`). */
  limit: number;
}

export const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
const MAX_TEXT = 100;

export const NO_FILTERS: AuditFilters = {
  action: "",
  actor_type: "",
  actor_id: "",
  from: "",
  to: "",
  limit: DEFAULT_PAGE_SIZE,
};

const text = (value: string | null) => (value ?? "").trim().slice(0, MAX_TEXT);
const isoOrEmpty = (value: string | null) => (IsoDateSchema.safeParse(value).success ? (value ?? "") : "");

/** The filters the address asks for; anything the API would refuse is dropped. */
export function parseAuditQuery(search: string): AuditFilters {
  const params = new URLSearchParams(search);
  const actorType = params.get("actor_type");
  const limit = Number(params.get("limit"));
  return {
    action: text(params.get("action")),
    actor_type: ACTOR_TYPES.find((candidate) => candidate === actorType) ?? "",
    actor_id: text(params.get("actor_id")),
    from: isoOrEmpty(params.get("from")),
    to: isoOrEmpty(params.get("to")),
    limit: Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE_SIZE ? limit : DEFAULT_PAGE_SIZE,
  };
}

/** The address query for `filters`: only what differs from no filters. */
export function auditQueryString(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const key of ["action", "actor_type", "actor_id", "from", "to"] as const) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  if (filters.limit !== DEFAULT_PAGE_SIZE) params.set("limit", String(filters.limit));
  return params.toString();
}

export const isFiltered = (filters: AuditFilters): boolean =>
  auditQueryString({ ...filters, limit: DEFAULT_PAGE_SIZE }) !== "";

/** The API query for `filters` (empty ones left out). */
export function auditApiQuery(filters: AuditFilters) {
  return {
    action: filters.action || undefined,
    actor_type: filters.actor_type || undefined,
    actor_id: filters.actor_id || undefined,
    from: filters.from || undefined,
    to: filters.to || undefined,
    limit: filters.limit,
  };
}

/** Why a range cannot be asked for, or undefined. */
export function rangeProblem(from: string, to: string): string | undefined {
  if (from && to && Date.parse(from) >= Date.parse(to)) return "“From” must be before “To”.";
  return undefined;
}

const pad = (value: number) => String(value).padStart(2, "0");

/** An ISO time as a `datetime-local` value (the viewer's time zone, to the minute). */
export function toLocalInput(iso: string): string {
  const time = Date.parse(iso);
  if (!iso || !Number.isFinite(time)) return "";
  const date = new Date(time);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value (the viewer's time zone) as an ISO time; "" when empty or unreadable. */
export function fromLocalInput(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return "";
  const time = new Date(value).getTime();
  return Number.isFinite(time) ? new Date(time).toISOString() : "";
}
