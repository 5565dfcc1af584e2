// Shared by the error-tracking operations' tests: a company with an error project made through the
// API, and the tenant rows the error consumer would write (issues, events, releases, hourly counts,
// sessions) put straight into the company's database.
import { env } from "cloudflare:workers";
import type { ErrorEventData, ErrorProject } from "@nexus/contracts";
import {
  errorEvents,
  errorIssueHours,
  errorIssueReleases,
  errorIssues,
  errorSessions,
  errorSessionUsers,
} from "@nexus/db/tenant";
import { drizzle } from "drizzle-orm/d1";
import { expect } from "vitest";
import { call, callAsOperator, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { newId } from "../../lib/ids.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export type IssueRow = typeof errorIssues.$inferInsert;
export type EventRow = typeof errorEvents.$inferInsert;

export const companyPath = (companyId: string) => `/api/admin/companies/${companyId}`;

/** A registered company whose owner (`owner@<tag>.example`) has signed in, and optionally a member. */
export async function errorsCompany(tag: string, options: { member?: boolean } = {}) {
  const company = await registerCompany({ admin_email: `owner@${tag}.example` });
  const companyId = company.company_id;
  const owner = await companyOwner(companyId, `owner@${tag}.example`);
  const member = options.member
    ? await companyMember(owner, companyId, `member@${tag}.example`, "member")
    : undefined;
  return { companyId, base: companyPath(companyId), owner, member };
}

/** An error project created through the API as an operator. */
export async function errorProject(
  companyId: string,
  body: Partial<{ name: string; app: string; platform: string }> = {},
): Promise<ErrorProject> {
  const response = await callAsOperator(`${companyPath(companyId)}/error-projects`, {
    body: { name: "Desktop app", app: "desktop", platform: "electron", ...body },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json<{ project: ErrorProject }>(response)).project;
}

const orm = async (companyId: string) => drizzle(await tenantDatabase(env, companyId));

/** Issues as the consumer writes them, with defaults for what is left out. */
export async function insertIssues(companyId: string, rows: Partial<IssueRow>[]): Promise<IssueRow[]> {
  const now = Date.now();
  const full = rows.map(
    (row, i): IssueRow => ({
      id: newId(),
      projectId: 1,
      fingerprint: crypto.randomUUID().replaceAll("-", ""),
      title: `TypeError: boom ${i}`,
      culprit: "renderApp(src/app.ts)",
      type: "TypeError",
      level: "error",
      platform: "javascript",
      status: "unresolved",
      firstSeen: now - 3_600_000,
      lastSeen: now,
      timesSeen: 1,
      usersSeen: 1,
      firstRelease: "desktop@1.0.0",
      lastRelease: "desktop@1.0.0",
      ...row,
    }),
  );
  const db = await orm(companyId);
  for (const row of full) await db.insert(errorIssues).values(row);
  return full;
}

export function eventData(overrides: Partial<ErrorEventData> = {}): ErrorEventData {
  return {
    event_id: crypto.randomUUID().replaceAll("-", ""),
    timestamp: new Date().toISOString(),
    platform: "javascript",
    level: "error",
    release: "desktop@1.0.0",
    environment: "production",
    exceptions: [
      {
        type: "TypeError",
        value: "boom",
        frames: [{ function: "renderApp", filename: "src/app.ts", lineno: 10, colno: 5, in_app: true }],
      },
    ],
    breadcrumbs: [{ timestamp: 1, category: "ui.click", message: "button#save" }],
    tags: { os: "Windows" },
    ...overrides,
  };
}

/** Events of an issue, each stored with its data as the consumer stores it. */
export async function insertEvents(
  companyId: string,
  issue: Pick<IssueRow, "id" | "projectId">,
  rows: { receivedAt: number; data?: Partial<ErrorEventData> }[],
): Promise<EventRow[]> {
  const full = rows.map((row): EventRow => {
    const data = eventData(row.data);
    return {
      projectId: issue.projectId,
      eventId: data.event_id,
      issueId: issue.id,
      receivedAt: row.receivedAt,
      occurredAt: Date.parse(data.timestamp),
      level: data.level,
      release: data.release ?? null,
      environment: data.environment ?? null,
      platform: data.platform,
      data,
    };
  });
  const db = await orm(companyId);
  for (const row of full) await db.insert(errorEvents).values(row);
  return full;
}

export async function insertIssueReleases(
  companyId: string,
  rows: (typeof errorIssueReleases.$inferInsert)[],
) {
  const db = await orm(companyId);
  for (const row of rows) await db.insert(errorIssueReleases).values(row);
}

export async function insertIssueHours(companyId: string, rows: (typeof errorIssueHours.$inferInsert)[]) {
  const db = await orm(companyId);
  for (const row of rows) await db.insert(errorIssueHours).values(row);
}

export async function insertSessions(companyId: string, rows: (typeof errorSessions.$inferInsert)[]) {
  const db = await orm(companyId);
  for (const row of rows) await db.insert(errorSessions).values(row);
}

export async function insertSessionUsers(companyId: string, rows: (typeof errorSessionUsers.$inferInsert)[]) {
  const db = await orm(companyId);
  for (const row of rows) await db.insert(errorSessionUsers).values(row);
}

/** Calls as a signed-in user (cookie) or the operator (no cookie). */
export const as = (cookie: string | undefined, path: string, options: Parameters<typeof call>[1] = {}) =>
  cookie
    ? call(path, { ...options, headers: { ...options.headers, cookie } })
    : callAsOperator(path, options);

/** Audit rows of the company with this action, oldest first. */
export async function auditRows(companyId: string, action: string) {
  const rows = await env.CENTRAL_DB.prepare(
    "SELECT action, target_type, target_id, details FROM audit_logs WHERE company_id = ? AND action = ? ORDER BY id",
  )
    .bind(companyId, action)
    .all<{ action: string; target_type: string; target_id: string; details: string | null }>();
  return rows.results.map((row) => ({ ...row, details: row.details ? JSON.parse(row.details) : null }));
}
