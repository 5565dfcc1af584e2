// App error tracking in the consumer tests: DSN projects in the central database, events and session
// items as the API's ingest normalises them, and queue messages of one envelope each.
import { env } from "cloudflare:workers";
import type {
  ErrorEventData,
  ErrorQueueItem,
  ErrorSessionAggregates,
  ErrorSessionUpdate,
  ErrorsQueueMessage,
} from "@nexus/contracts";
import { deliver } from "./tenants.ts";

export const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);

let projectCounter = 0;

/** A DSN project of the company (central error_projects); returns its numeric id. */
export async function errorProject(companyId: string, app: "desktop" | "mobile" | "other" = "other") {
  projectCounter += 1;
  const key = projectCounter.toString(16).padStart(32, "0");
  const row = await env.CENTRAL_DB.prepare(
    "INSERT INTO error_projects (company_id, name, app, platform, public_key) VALUES (?, ?, ?, 'javascript', ?) RETURNING id",
  )
    .bind(companyId, `Project ${projectCounter}`, app, key)
    .first<{ id: number }>();
  if (!row) throw new Error("error project not created");
  return row.id;
}

export const eventId = () => crypto.randomUUID().replaceAll("-", "");

/** An exception event whose stack ends in `fn` in `file` (in-app), as the ingest stores it. */
export function exceptionEvent(
  type: string,
  value: string,
  overrides: Partial<ErrorEventData> = {},
  fn = "handler",
  file = "app:///dist/main.js",
): ErrorEventData {
  return {
    event_id: eventId(),
    timestamp: new Date(T0).toISOString(),
    platform: "node",
    level: "error",
    exceptions: [
      {
        type,
        value,
        frames: [
          { function: "main", filename: file, abs_path: file, lineno: 1, colno: 10, in_app: true },
          { function: fn, filename: file, abs_path: file, lineno: 42, colno: 7, in_app: true },
        ],
      },
    ],
    breadcrumbs: [],
    tags: {},
    ...overrides,
  };
}

export function errorsMessage(
  companyId: string,
  projectId: number,
  items: ErrorQueueItem[],
  app: ErrorsQueueMessage["app"] = "other",
  receivedAt = T0,
): ErrorsQueueMessage {
  return { company_id: companyId, project_id: projectId, app, received_at: receivedAt, raw_key: null, items };
}

export const eventItems = (events: ErrorEventData[]): ErrorQueueItem[] =>
  events.map((event) => ({ type: "event", event }));

export function sessionUpdate(overrides: Partial<ErrorSessionUpdate> = {}): ErrorQueueItem {
  return {
    type: "session",
    session: {
      sid: crypto.randomUUID(),
      did: null,
      init: true,
      started: new Date(T0).toISOString(),
      timestamp: new Date(T0).toISOString(),
      status: "ok",
      errors: 0,
      release: "app@1.0.0",
      environment: "production",
      ...overrides,
    },
  };
}

export function sessionAggregates(
  release: string,
  aggregates: Partial<ErrorSessionAggregates["aggregates"][number]>[],
): ErrorQueueItem {
  return {
    type: "sessions",
    sessions: {
      release,
      environment: "production",
      aggregates: aggregates.map((group) => ({
        started: new Date(T0).toISOString(),
        exited: 0,
        errored: 0,
        abnormal: 0,
        crashed: 0,
        ...group,
      })),
    },
  };
}

/** Delivers messages to the errors consumer as one batch (ids given to redeliver one). */
export const deliverErrors = (bodies: ErrorsQueueMessage[], ids?: string[], attempts = 1) =>
  deliver(bodies, "nexus-errors", attempts, ids);

export interface IssueRow {
  id: string;
  fingerprint: string;
  title: string;
  culprit: string | null;
  status: string;
  times_seen: number;
  users_seen: number;
  regressed_at: number | null;
  first_release: string | null;
  last_release: string | null;
}

export async function issues(db: D1Database): Promise<IssueRow[]> {
  const { results } = await db
    .prepare(
      "SELECT id, fingerprint, title, culprit, status, times_seen, users_seen, regressed_at, first_release, last_release FROM error_issues ORDER BY times_seen DESC, title",
    )
    .all<IssueRow>();
  return results;
}

export async function count(db: D1Database, sql: string, ...params: unknown[]): Promise<number> {
  const row = await db
    .prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
