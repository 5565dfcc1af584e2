import type { ValidateRequestSchema } from "@nexus/contracts";
import { companies, installations } from "@nexus/db/central";
import { secretsEqual, sha256Hex } from "@nexus/security";
import { and, eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import { type AppEnv, getConfig } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { newId, newSecretToken } from "../lib/ids.ts";
import { bearerToken } from "../middleware/auth.ts";
import { clientIp } from "./audit.ts";
import { assertCompanyUsable, type CompanyRow } from "./companies.ts";
import { verifyInstallationProofToken } from "./installation-tokens.ts";
import { dispatchEvents } from "./webhook-events.ts";

type ValidateInput = z.output<typeof ValidateRequestSchema>;

// The three statements below stay raw SQL: taking a seat must be one statement (an INSERT … SELECT
// with the seat count, and an upsert whose update is conditional), and the audit and event rows are
// written only when it changed a row (changes()), which drizzle's query builder cannot express.
// Takes a seat and upserts the installation in one statement, so concurrent validates cannot
// overshoot max_installations: D1 runs one statement at a time, and the count and the insert happen
// inside the same statement. An installation that is already active keeps its seat without a check.
// (SQLite needs the WHERE on the SELECT for the upsert clause to parse.) The update applies only if
// the binding is still the one the proof was checked against (?11), so a validate racing another
// that bound or re-bound the machine changes nothing. The company's suspension and expiry are checked
// here too, so a company row cached by the isolate cannot let a suspended company in.
const ACTIVATE_SQL = `
INSERT INTO installations (
  id, company_id, machine_id, hostname, username, ip_address, app_version, os_version,
  is_active, settings_version_seen, secret_hash, bound_at, created_at, updated_at
)
SELECT ?1, c.id, ?2, ?3, ?4, ?5, ?6, ?7, 1, c.settings_version, ?10, ?8, ?8, ?8
FROM companies c
WHERE c.id = ?9 AND c.suspended_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > ?8) AND (
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
  secret_hash = excluded.secret_hash,
  bound_at = CASE WHEN installations.secret_hash IS NULL THEN excluded.bound_at ELSE installations.bound_at END,
  updated_at = excluded.updated_at
WHERE installations.secret_hash IS ?11
RETURNING id, settings_version_seen`;

// Recorded only when the statement above took a seat: sent only for a machine that was not active
// before, and inserting only if the upsert changed a row.
const AUDIT_ACTIVATION_SQL = `
INSERT INTO audit_logs (id, company_id, actor_type, actor_id, action, target_type, target_id, details, ip_address, user_agent, request_id, created_at)
SELECT ?1, company_id, 'installation', id, 'installation.activated', 'installation', id, ?2, ?3, ?4, ?5, ?6
FROM installations WHERE company_id = ?7 AND machine_id = ?8 AND changes() > 0`;

// The `installation.activated` webhook event, written when the audit row above was (changes() now
// counts that insert).
const EVENT_ACTIVATION_SQL = `
INSERT INTO webhook_events (id, company_id, type, data, created_at)
SELECT ?1, company_id, 'installation.activated',
  json_object('installation_id', id, 'machine_id', machine_id, 'hostname', hostname, 'app_version', app_version), ?2
FROM installations WHERE company_id = ?3 AND machine_id = ?4 AND changes() > 0`;

/**
 * How long after its expiry an installation token still proves which installation a machine is (on
 * validate only): long enough for a laptop that was off for weeks, short enough that an old leaked
 * token does not work forever.
 */
export const PROOF_TOKEN_MAX_EXPIRED_SECONDS = 30 * 86_400;

/** What validate needs to know of the machine's installation, if it has one. */
const bindingColumns = {
  id: installations.id,
  isActive: installations.isActive,
  secretHash: installations.secretHash,
  boundAt: installations.boundAt,
};
type Binding = Pick<typeof installations.$inferSelect, keyof typeof bindingColumns>;

const ofMachine = (companyId: string, machineId: string) =>
  and(eq(installations.companyId, companyId), eq(installations.machineId, machineId));

function installationBound(): ApiError {
  return new ApiError(
    "INSTALLATION_BOUND",
    "This machine is already registered with this company. Send its installation secret (installation_secret, from the first validate) or a token of that installation as `Authorization: Bearer`, or have an administrator reset the installation's binding.",
    { action: "contact_admin" },
  );
}

/**
 * Whether the request proves it comes from the bound installation: the secret it was bound with,
 * or a token of that installation issued since it was bound (so tokens from before an
 * administrator's reset prove nothing), expired at most PROOF_TOKEN_MAX_EXPIRED_SECONDS ago.
 */
async function provesBinding(
  c: Context<AppEnv>,
  existing: Binding & { secretHash: string },
  companyId: string,
  offeredHash: string | null,
): Promise<boolean> {
  if (offeredHash !== null && (await secretsEqual(offeredHash, existing.secretHash))) return true;
  const token = bearerToken(c);
  if (!token || existing.boundAt === null) return false;
  const claims = await verifyInstallationProofToken(
    getConfig(c.env).JWT_SIGNING_KEYS,
    token,
    PROOF_TOKEN_MAX_EXPIRED_SECONDS,
  );
  return (
    claims !== null &&
    claims.installationId === existing.id &&
    claims.companyId === companyId &&
    // iat has whole seconds, bound_at milliseconds.
    claims.issuedAt >= Math.floor(existing.boundAt.getTime() / 1000) * 1000
  );
}

/** What activateInstallation did: the installation, and the company's settings version it stored. */
export interface Activation {
  id: string;
  /** The secret, when the server generated it (answered once; only its hash is stored). */
  secret: string | undefined;
  /** The company's settings_version as D1 has it now (the caller's company row may be cached). */
  settingsVersion: number;
}

/** SQL condition: the company may run installations (not suspended, not expired) as D1 has it now. */
const companyUsableNow = (companyId: string, now: number) =>
  sql`EXISTS (SELECT 1 FROM ${companies} WHERE ${companies.id} = ${companyId} AND ${companies.suspendedAt} IS NULL AND (${companies.expiresAt} IS NULL OR ${companies.expiresAt} > ${now}))`;

/**
 * The re-validate of a machine that is active and offers the secret it is bound with, in one
 * statement: it refreshes what activation refreshes (hostname, ip, versions, settings version seen,
 * updated_at) only if the stored hash equals the offered one and the company is usable. That is the
 * same outcome as the full path below for this case (no seat taken, no audit row, no event, the
 * binding kept), without reading the row first. Null when it changed nothing: the full path decides.
 * Comparing the SHA-256 hashes in SQL (not in constant time) is safe: timing could at most reveal a
 * prefix of the stored hash, which does not help find a secret with that hash.
 */
async function refreshBoundInstallation(
  c: Context<AppEnv>,
  companyId: string,
  input: ValidateInput,
  offeredHash: string,
  now: number,
): Promise<{ id: string; settingsVersion: number } | null> {
  const [row] = await c
    .get("db")
    .update(installations)
    .set({
      hostname: input.hostname,
      username: sql`coalesce(${input.username ?? null}, ${installations.username})`,
      ipAddress: clientIp(c),
      appVersion: sql`coalesce(${input.app_version ?? null}, ${installations.appVersion})`,
      osVersion: sql`coalesce(${input.os_version ?? null}, ${installations.osVersion})`,
      settingsVersionSeen: sql`(SELECT ${companies.settingsVersion} FROM ${companies} WHERE ${companies.id} = ${companyId})`,
      // As ACTIVATE_SQL does: an active row should have none, but a revived one must not keep them.
      deactivatedAt: null,
      deactivationReason: null,
      updatedAt: new Date(now),
    })
    .where(
      and(
        ofMachine(companyId, input.machine_id),
        eq(installations.isActive, true),
        eq(installations.secretHash, offeredHash),
        companyUsableNow(companyId, now),
      ),
    )
    .returning({ id: installations.id, settingsVersion: installations.settingsVersionSeen });
  return row ?? null;
}

/**
 * Joins a machine to the company (or refreshes it), within the seat limit, and binds it to a secret
 * on its first validate. A machine_id is a hardware fingerprint anyone can copy: once bound, the
 * installation answers only a request that proves it is that machine (provesBinding); anything else
 * gets 409 INSTALLATION_BOUND and changes nothing. Installations from before bindings existed bind
 * on their next validate (trust on first use). A suspended or expired company is refused from D1's
 * state, whatever `company` (possibly cached) says.
 */
export async function activateInstallation(
  c: Context<AppEnv>,
  company: CompanyRow,
  input: ValidateInput,
): Promise<Activation> {
  const now = Date.now();
  const offeredHash = input.installation_secret ? await sha256Hex(input.installation_secret) : null;
  if (offeredHash !== null) {
    const refreshed = await refreshBoundInstallation(c, company.id, input, offeredHash, now);
    if (refreshed) return { ...refreshed, secret: undefined };
  }
  return bindInstallation(c, company, input, offeredHash, now);
}

/** The full path of activateInstallation: reads the binding, checks the proof, takes a seat if needed. */
async function bindInstallation(
  c: Context<AppEnv>,
  company: CompanyRow,
  input: ValidateInput,
  offeredHash: string | null,
  now: number,
): Promise<Activation> {
  const db = c.env.CENTRAL_DB;
  const [existing] = await c
    .get("db")
    .select(bindingColumns)
    .from(installations)
    .where(ofMachine(company.id, input.machine_id))
    .limit(1);
  const boundHash = existing?.secretHash ?? null;
  if (existing && boundHash !== null) {
    if (!(await provesBinding(c, { ...existing, secretHash: boundHash }, company.id, offeredHash))) {
      throw installationBound();
    }
  }
  // The secret the installation is bound to from now on: the one the client sent (proposed on its
  // first validate, or a new one after proving itself with a token), else a new one answered once.
  let secret: string | undefined;
  let secretHash = offeredHash;
  if (secretHash === null) {
    secret = newSecretToken("nxi");
    secretHash = await sha256Hex(secret);
  }
  const takesSeat = existing?.isActive !== true;
  const ip = clientIp(c);
  const eventId = newId(now);
  // Raw SQL (drizzle cannot build it): the seat count and the conditional upsert in one statement.
  const activate = db
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
      secretHash,
      boundHash,
    );
  // An installation that is already active takes no seat: no audit row and no event, so those
  // statements are not sent at all.
  const [upsert] = await db.batch<{ id: string; settings_version_seen: number }>(
    takesSeat
      ? [
          activate,
          // Raw SQL: written only when the upsert changed a row (changes()), which drizzle cannot express.
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
          ),
          // Raw SQL, for the same reason.
          db.prepare(EVENT_ACTIVATION_SQL).bind(eventId, now, company.id, input.machine_id),
        ]
      : [activate],
  );
  const activated = upsert?.results[0];
  if (!activated) {
    const [[current], [fresh]] = await Promise.all([
      c
        .get("db")
        .select({ secretHash: installations.secretHash })
        .from(installations)
        .where(ofMachine(company.id, input.machine_id))
        .limit(1),
      c.get("db").select().from(companies).where(eq(companies.id, company.id)).limit(1),
    ]);
    // Suspended or expired since `company` was read (it may come from the isolate's cache).
    if (!fresh) throw new ApiError("COMPANY_NOT_FOUND", "The company no longer exists.");
    assertCompanyUsable(fresh, now);
    // Bound (or re-bound) by a validate that ran between the check above and the upsert.
    if (current && current.secretHash !== boundHash) throw installationBound();
    throw new ApiError(
      "INSTALLATION_LIMIT_REACHED",
      `All ${fresh.maxInstallations} installations allowed for this company are in use. Ask your administrator to free a seat or raise the limit.`,
      { max_installations: fresh.maxInstallations, action: "contact_admin" },
    );
  }
  if (takesSeat) await dispatchEvents(c.env, [eventId]);
  return { id: activated.id, secret, settingsVersion: activated.settings_version_seen };
}
