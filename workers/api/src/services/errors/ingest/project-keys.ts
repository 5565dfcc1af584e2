// The error projects behind the DSNs: looked up in the central D1 by the project id of the request's
// path, cached briefly in the isolate (SDKs send an envelope per event and per session update), and
// the request's key compared with the project's in constant time.

import { companies, errorProjects } from "@nexus/db/central";
import { bytesEqual } from "@nexus/security";
import { eq } from "drizzle-orm";
import type { CentralDb } from "../../../env.ts";
import { ApiError } from "../../../lib/errors.ts";

/** The project an authenticated request reports to. */
export interface ErrorProjectKey {
  id: number;
  companyId: string;
  app: "desktop" | "mobile" | "other";
}

interface CachedProject extends ErrorProjectKey {
  publicKey: string;
  revokedAt: Date | null;
  companySuspended: boolean;
  companyExpiresAt: number | null;
}

/**
 * How long a project's row (its key, revocation, company suspension) is trusted without reading it
 * again: a revoked DSN or a suspended company is refused by every isolate within this time.
 */
export const PROJECT_CACHE_TTL_MS = 10_000;
const MAX_CACHED = 5000;
const cache = new Map<number, { project: CachedProject | null; at: number }>();

async function loadProject(db: CentralDb, projectId: number): Promise<CachedProject | null> {
  const now = Date.now();
  const cached = cache.get(projectId);
  if (cached && now - cached.at < PROJECT_CACHE_TTL_MS) return cached.project;
  const [row] = await db
    .select({
      id: errorProjects.id,
      companyId: errorProjects.companyId,
      app: errorProjects.app,
      publicKey: errorProjects.publicKey,
      revokedAt: errorProjects.revokedAt,
      suspendedAt: companies.suspendedAt,
      expiresAt: companies.expiresAt,
    })
    .from(errorProjects)
    .innerJoin(companies, eq(companies.id, errorProjects.companyId))
    .where(eq(errorProjects.id, projectId))
    .limit(1);
  const project = row
    ? {
        id: row.id,
        companyId: row.companyId,
        app: row.app,
        publicKey: row.publicKey,
        revokedAt: row.revokedAt,
        companySuspended: row.suspendedAt !== null,
        companyExpiresAt: row.expiresAt?.getTime() ?? null,
      }
    : null;
  if (cache.size >= MAX_CACHED) cache.clear();
  // Unknown ids are remembered too, so a stream of made-up project ids costs one read each per TTL.
  cache.set(projectId, { project, at: now });
  return project;
}

/** Drops this isolate's copy of a project (after a revocation made here, so it applies at once here). */
export function forgetErrorProject(projectId: number): void {
  cache.delete(projectId);
}

const encoder = new TextEncoder();

/**
 * The project `key` opens, or the refusal: an unknown project and a wrong key answer alike, so the
 * answer tells nothing about which project ids exist.
 */
export async function projectForKey(db: CentralDb, projectId: number, key: string): Promise<ErrorProjectKey> {
  const project = await loadProject(db, projectId);
  if (!project || !bytesEqual(encoder.encode(key), encoder.encode(project.publicKey))) {
    throw new ApiError(
      "UNAUTHORIZED",
      `This DSN's key is not valid for project ${projectId}. Copy the DSN from the project's page in the dashboard.`,
    );
  }
  if (project.revokedAt) {
    throw new ApiError(
      "UNAUTHORIZED",
      `This DSN was revoked on ${project.revokedAt.toISOString().slice(0, 10)}; its events are refused. Create a new DSN and ship it with the app.`,
      { revoked_at: project.revokedAt.toISOString() },
    );
  }
  if (project.companySuspended) {
    throw new ApiError(
      "COMPANY_SUSPENDED",
      "This company's account is suspended; its apps' errors are refused.",
      {
        action: "contact_admin",
      },
    );
  }
  if (project.companyExpiresAt !== null && project.companyExpiresAt <= Date.now()) {
    throw new ApiError(
      "SUBSCRIPTION_EXPIRED",
      "This company's subscription has expired; its apps' errors are refused.",
      { action: "contact_admin" },
    );
  }
  return { id: project.id, companyId: project.companyId, app: project.app };
}
