import type { ValidateRequestSchema } from "@nexus/contracts";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { clientIp } from "./audit.ts";
import type { CompanyRow } from "./companies.ts";
import { dispatchEvents } from "./webhook-events.ts";

type ValidateInput = z.output<typeof ValidateRequestSchema>;

// Takes a seat and upserts the installation in one statement, so concurrent validates cannot
// overshoot max_installations: D1 runs one statement at a time, and the count and the insert happen
// inside the same statement. An installation that is already active keeps its seat without a check.
// (SQLite needs the WHERE on the SELECT for the upsert clause to parse.)
const ACTIVATE_SQL = `
INSERT INTO installations (
  id, company_id, machine_id, hostname, username, ip_address, app_version, os_version,
  is_active, settings_version_seen, created_at, updated_at
)
SELECT ?1, c.id, ?2, ?3, ?4, ?5, ?6, ?7, 1, c.settings_version, ?8, ?8
FROM companies c
WHERE c.id = ?9 AND (
  EXISTS (SELECT 1 FROM installations WHERE company_id = c.id AND machine_id = ?2 AND is_active = 1)
  OR (SELECT count(*) FROM installations WHERE company_id = c.id AND is_active = 1) < c.max_installations
)
ON CONFLICT (company_id, machine_id) DO UPDATE SET
  hostname = excluded.hostname,
  username = coalesce(excluded.username, installations.username),
  ip_address = excluded.ip_address,
  app_version = coalesce(excluded.app_version, installations.app_version),
  os_version = coalesce(excluded.os_version, installations.os_version),
  is_active = 1,
  deactivated_at = NULL,
  deactivation_reason = NULL,
  settings_version_seen = excluded.settings_version_seen,
  updated_at = excluded.updated_at
RETURNING id`;

// Recorded only when the statement above took a seat (it changed a row that was not active before).
const AUDIT_ACTIVATION_SQL = `
INSERT INTO audit_logs (id, company_id, actor_type, actor_id, action, target_type, target_id, details, ip_address, user_agent, request_id, created_at)
SELECT ?1, company_id, 'installation', id, 'installation.activated', 'installation', id, ?2, ?3, ?4, ?5, ?6
FROM installations WHERE company_id = ?7 AND machine_id = ?8 AND changes() > 0 AND ?9 = 1`;

// The `installation.activated` webhook event, written when the audit row above was (changes() now
// counts that insert).
const EVENT_ACTIVATION_SQL = `
INSERT INTO webhook_events (id, company_id, type, data, created_at)
SELECT ?1, company_id, 'installation.activated',
  json_object('installation_id', id, 'machine_id', machine_id, 'hostname', hostname, 'app_version', app_version), ?2
FROM installations WHERE company_id = ?3 AND machine_id = ?4 AND changes() > 0`;

/** Joins a machine to the company (or refreshes it), within the seat limit. Returns the installation id. */
export async function activateInstallation(
  c: Context<AppEnv>,
  company: CompanyRow,
  input: ValidateInput,
): Promise<string> {
  const db = c.env.CENTRAL_DB;
  const now = Date.now();
  const existing = await db
    .prepare("SELECT is_active FROM installations WHERE company_id = ? AND machine_id = ?")
    .bind(company.id, input.machine_id)
    .first<{ is_active: number }>();
  const takesSeat = existing?.is_active !== 1;
  const ip = clientIp(c);
  const eventId = newId(now);
  const [upsert] = await db.batch<{ id: string }>([
    db
      .prepare(ACTIVATE_SQL)
      .bind(
        newId(now),
        input.machine_id,
        input.hostname,
        input.username ?? null,
        ip,
        input.app_version ?? null,
        input.os_version ?? null,
        now,
        company.id,
      ),
    db.prepare(AUDIT_ACTIVATION_SQL).bind(
      newId(now),
      JSON.stringify({
        machine_id: input.machine_id,
        hostname: input.hostname,
        app_version: input.app_version ?? null,
      }),
      ip,
      c.req.header("user-agent")?.slice(0, 512) ?? null,
      c.get("requestId"),
      now,
      company.id,
      input.machine_id,
      takesSeat ? 1 : 0,
    ),
    db.prepare(EVENT_ACTIVATION_SQL).bind(eventId, now, company.id, input.machine_id),
  ]);
  const id = upsert?.results[0]?.id;
  if (!id) {
    throw new ApiError(
      "INSTALLATION_LIMIT_REACHED",
      `All ${company.maxInstallations} installations allowed for this company are in use. Ask your administrator to free a seat or raise the limit.`,
      { max_installations: company.maxInstallations, action: "contact_admin" },
    );
  }
  if (takesSeat) await dispatchEvents(c.env, [eventId]);
  return id;
}
