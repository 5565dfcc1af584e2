// A queue message made ready to write: its events symbolicated, fingerprinted and described, its
// sessions counted. Nothing here touches a database except through the source-map cache.
import type { ErrorEventData, ErrorLevel, ErrorsQueueMessage } from "@nexus/contracts";
import { sha256Hex } from "@nexus/security";
import { describeIssue, fingerprintOf } from "./grouping.ts";
import { countSessions, HOUR_MS, type SessionCounts } from "./sessions.ts";
import { type SourceMapCache, symbolicate } from "./symbolicate.ts";

/** An event's clock may be off: one further in the future than this is taken as received. */
const MAX_CLOCK_SKEW_MS = 60_000;

export interface PreparedEvent {
  data: ErrorEventData;
  issueId: string;
  fingerprint: string;
  title: string;
  culprit: string | null;
  type: string | null;
  level: ErrorLevel;
  occurredAt: number;
  hour: number;
  userKey: string | null;
}

export interface PreparedMessage {
  message: Message;
  body: ErrorsQueueMessage;
  events: PreparedEvent[];
  sessions: SessionCounts;
}

/** The issue's id: the same for the same fingerprint, so concurrent batches agree on it. */
export async function issueIdOf(projectId: number, fingerprint: string): Promise<string> {
  return (await sha256Hex(`${projectId}:${fingerprint}`)).slice(0, 32);
}

/** Who was affected, as Sentry counts users: id, then username, email, IP address. */
export function userKeyOf(event: ErrorEventData): string | null {
  const user = event.user;
  if (!user) return null;
  if (user.id) return `id:${user.id}`;
  if (user.username) return `username:${user.username}`;
  if (user.email) return `email:${user.email}`;
  if (user.ip_address) return `ip:${user.ip_address}`;
  return null;
}

function occurredAt(event: ErrorEventData, receivedAt: number): number {
  const ms = Date.parse(event.timestamp);
  return Number.isFinite(ms) && ms <= receivedAt + MAX_CLOCK_SKEW_MS ? ms : receivedAt;
}

async function prepareEvent(
  cache: SourceMapCache,
  body: ErrorsQueueMessage,
  event: ErrorEventData,
): Promise<PreparedEvent> {
  const data = await symbolicate(cache, body.project_id, event);
  const fingerprint = await fingerprintOf(data);
  const at = occurredAt(data, body.received_at);
  return {
    data,
    fingerprint,
    issueId: await issueIdOf(body.project_id, fingerprint),
    ...describeIssue(data),
    level: data.level,
    occurredAt: at,
    hour: Math.floor(at / HOUR_MS) * HOUR_MS,
    userKey: userKeyOf(data),
  };
}

export async function prepareMessage(
  cache: SourceMapCache,
  message: Message,
  body: ErrorsQueueMessage,
): Promise<PreparedMessage> {
  const events: PreparedEvent[] = [];
  const seen = new Set<string>();
  for (const item of body.items) {
    // The same event twice in one envelope is one event.
    if (item.type !== "event" || seen.has(item.event.event_id)) continue;
    seen.add(item.event.event_id);
    events.push(await prepareEvent(cache, body, item.event));
  }
  const updates = body.items.flatMap((item) => (item.type === "session" ? [item.session] : []));
  const aggregates = body.items.flatMap((item) => (item.type === "sessions" ? [item.sessions] : []));
  return { message, body, events, sessions: countSessions(updates, aggregates, body.received_at) };
}

/** The events of every message, for the source-map lookup made once per batch. */
export function eventsOf(bodies: ErrorsQueueMessage[]): { projectId: number; event: ErrorEventData }[] {
  return bodies.flatMap((body) =>
    body.items.flatMap((item) =>
      item.type === "event" ? [{ projectId: body.project_id, event: item.event }] : [],
    ),
  );
}
