// A company's error-tracking projects (central error_projects): their DSNs, ingest counts, creation,
// renaming and revocation. Every query is filtered by the caller's company.
import type { CreateErrorProjectRequest, ErrorIngestCounts, ErrorProject } from "@nexus/contracts";
import { errorIngestStats, errorProjects } from "@nexus/db/central";
import { and, asc, eq, gte, inArray } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv, CentralDb } from "../../env.ts";
import { getConfig } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { auditStatement } from "../audit.ts";
import { forgetErrorProject } from "./ingest/project-keys.ts";

export type ErrorProjectRow = typeof errorProjects.$inferSelect;
type StatsRow = typeof errorIngestStats.$inferSelect;

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The DSN Sentry's SDKs take: `<scheme>://<key>@<host><path>/<id>`. From it they post to
 * `<scheme>://<host><path>/api/<id>/envelope/`, so the API's public URL (path included) is the base.
 */
export function projectDsn(publicUrl: string, project: Pick<ErrorProjectRow, "id" | "publicKey">): string {
  const url = new URL(publicUrl);
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${project.publicKey}@${url.host}${path}/${project.id}`;
}

const noCounts = (): ErrorIngestCounts => ({ events: 0, sessions: 0, malformed: 0, rate_limited: 0 });

function addCounts(total: ErrorIngestCounts, row: StatsRow): void {
  total.events += row.events;
  total.sessions += row.sessions;
  total.malformed += row.malformed;
  total.rate_limited += row.rateLimited;
}

type ProjectStats = ErrorProject["stats"];

/** Today's and the last 7 UTC days' ingest counts of each project. */
async function ingestStats(
  db: CentralDb,
  projectIds: number[],
  now: number,
): Promise<Map<number, ProjectStats>> {
  const stats = new Map<number, ProjectStats>();
  for (const id of projectIds) stats.set(id, { today: noCounts(), last_7_days: noCounts() });
  if (projectIds.length === 0) return stats;
  const today = utcDay(now);
  const rows = await db
    .select()
    .from(errorIngestStats)
    .where(
      and(
        inArray(errorIngestStats.projectId, projectIds),
        gte(errorIngestStats.day, utcDay(now - 6 * DAY_MS)),
      ),
    );
  for (const row of rows) {
    const entry = stats.get(row.projectId);
    if (!entry) continue;
    addCounts(entry.last_7_days, row);
    if (row.day === today) addCounts(entry.today, row);
  }
  return stats;
}

export function toErrorProjectView(
  c: Context<AppEnv>,
  row: ErrorProjectRow,
  stats: ProjectStats = { today: noCounts(), last_7_days: noCounts() },
): ErrorProject {
  return {
    id: row.id,
    name: row.name,
    app: row.app,
    platform: row.platform,
    public_key: row.publicKey,
    dsn: projectDsn(getConfig(c.env).PUBLIC_URL, row),
    created_at: row.createdAt.toISOString(),
    revoked_at: row.revokedAt ? row.revokedAt.toISOString() : null,
    stats,
  };
}

/** The project if it is this company's, or ERROR_PROJECT_NOT_FOUND (also for another company's id). */
export async function requireErrorProject(
  db: CentralDb,
  companyId: string,
  projectId: number,
): Promise<ErrorProjectRow> {
  const [row] = await db
    .select()
    .from(errorProjects)
    .where(and(eq(errorProjects.id, projectId), eq(errorProjects.companyId, companyId)))
    .limit(1);
  if (!row) {
    throw new ApiError(
      "ERROR_PROJECT_NOT_FOUND",
      `This company has no error project ${projectId}. See GET /api/admin/companies/${companyId}/error-projects.`,
    );
  }
  return row;
}

/** The company's projects with their ingest counts, oldest first. */
export async function listCompanyErrorProjects(
  c: Context<AppEnv>,
  companyId: string,
): Promise<ErrorProject[]> {
  const db = c.get("db");
  const rows = await db
    .select()
    .from(errorProjects)
    .where(eq(errorProjects.companyId, companyId))
    .orderBy(asc(errorProjects.id));
  const stats = await ingestStats(
    db,
    rows.map((row) => row.id),
    Date.now(),
  );
  return rows.map((row) => toErrorProjectView(c, row, stats.get(row.id)));
}

/** One project's view with its counts. */
export async function errorProjectView(c: Context<AppEnv>, row: ErrorProjectRow): Promise<ErrorProject> {
  const stats = await ingestStats(c.get("db"), [row.id], Date.now());
  return toErrorProjectView(c, row, stats.get(row.id));
}

/** 32 hex characters, as Sentry's public keys are. */
function newPublicKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function createCompanyErrorProject(
  c: Context<AppEnv>,
  companyId: string,
  input: CreateErrorProjectRequest,
): Promise<ErrorProjectRow> {
  const db = c.get("db");
  const [row] = await db
    .insert(errorProjects)
    .values({
      companyId,
      name: input.name,
      app: input.app,
      platform: input.platform,
      publicKey: newPublicKey(),
    })
    .returning();
  if (!row) throw new Error("inserting an error project returned no row");
  // The audit row needs the autoincrement id the insert just chose, so it cannot share its batch.
  await auditStatement(c, {
    companyId,
    action: "error_project.created",
    targetType: "error_project",
    targetId: String(row.id),
    details: { name: row.name, app: row.app, platform: row.platform },
  });
  return row;
}

export async function renameCompanyErrorProject(
  c: Context<AppEnv>,
  companyId: string,
  projectId: number,
  name: string,
): Promise<ErrorProjectRow> {
  const db = c.get("db");
  const project = await requireErrorProject(db, companyId, projectId);
  if (project.name === name) return project;
  await db.batch([
    db
      .update(errorProjects)
      .set({ name })
      .where(and(eq(errorProjects.id, projectId), eq(errorProjects.companyId, companyId))),
    auditStatement(c, {
      companyId,
      action: "error_project.renamed",
      targetType: "error_project",
      targetId: String(projectId),
      details: { name, previous_name: project.name },
    }),
  ]);
  return { ...project, name };
}

/** Revokes the DSN (idempotent: a revoked project is answered as it is). Issues and events stay. */
export async function revokeCompanyErrorProject(
  c: Context<AppEnv>,
  companyId: string,
  projectId: number,
): Promise<ErrorProjectRow> {
  const db = c.get("db");
  const project = await requireErrorProject(db, companyId, projectId);
  if (project.revokedAt) return project;
  const revokedAt = new Date();
  await db.batch([
    db
      .update(errorProjects)
      .set({ revokedAt })
      .where(and(eq(errorProjects.id, projectId), eq(errorProjects.companyId, companyId))),
    auditStatement(c, {
      companyId,
      action: "error_project.revoked",
      targetType: "error_project",
      targetId: String(projectId),
      details: { name: project.name },
    }),
  ]);
  // This isolate refuses the DSN at once; others when their cached copy expires (seconds).
  forgetErrorProject(projectId);
  return { ...project, revokedAt };
}
