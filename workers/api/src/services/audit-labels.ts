// Names for the ids an audit page holds — who acted and what they acted on — so every client shows
// "API key 'ci'" instead of a uuid. One query per kind of row for the whole page, each inside the
// page's company: an id that is not this company's row (a stray or forged one) is never named.
import { projectReference } from "@nexus/contracts";
import { invitation, member, user } from "@nexus/db/auth";
import {
  apiKeys,
  companies,
  errorProjects,
  installations,
  registrationTokens,
  webhookDeliveries,
  webhookEndpoints,
} from "@nexus/db/central";
import { documents, errorIssues, llmProviderKeys, machines, projects, showrooms } from "@nexus/db/tenant";
import { and, type Column, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { CentralDb } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { type TenantDb, tenantOrm } from "./machines.ts";
import { tenantDatabase } from "./tenant-db.ts";

/** What of an audit row the labels are made from. */
export interface LabelledAuditRow {
  actorType: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditRowLabels {
  actor_label?: string;
  target_label?: string;
}

// The actor id of the operator credential (middleware/authenticate.ts): a secret, not a person.
const OPERATOR_SECRET_ID = "admin-secret";
// System actors' ids name the job (HUB_ACTOR, the document purge).
const SYSTEM_JOBS: Record<string, string> = {
  "company-hub": "System (company hub)",
  "document-purge": "System (document purge)",
};

/** Central kinds of row an audit id can name, and the tenant ones (in the company's own database). */
type CentralKind =
  | "installation"
  | "api_key"
  | "member"
  | "invitation"
  | "webhook_endpoint"
  | "webhook_delivery"
  | "user"
  | "operator"
  | "registration_token"
  | "error_project";
type TenantKind = "machine" | "document" | "project" | "showroom" | "llm_provider_key" | "error_issue";
type Kind = CentralKind | TenantKind;

const TENANT_KINDS: ReadonlySet<string> = new Set<TenantKind>([
  "machine",
  "document",
  "project",
  "showroom",
  "llm_provider_key",
  "error_issue",
]);
const TARGET_KINDS: ReadonlySet<string> = new Set<Kind>([
  "installation",
  "api_key",
  "member",
  "invitation",
  "webhook_endpoint",
  "webhook_delivery",
  "machine",
  "document",
  "project",
  "showroom",
  "llm_provider_key",
  "error_project",
  "error_issue",
]);
const ACTOR_KINDS: Record<string, Kind | undefined> = {
  installation: "installation",
  api_key: "api_key",
  user: "user",
  operator: "operator",
  registration_token: "registration_token",
};

type Names = Map<string, string>;
interface NameRow {
  id: string;
  name: string;
}

// One bound JSON array instead of a parameter per id: a page of 200 rows is past D1's 100 bound
// parameters.
const idIn = (column: Column, ids: readonly string[]): SQL =>
  inArray(column, sql`(SELECT value FROM json_each(${JSON.stringify(ids)}))`);

const person = (name: string | null, email: string) =>
  name && name !== email ? `${name} (${email})` : email;

/** Each central kind's names, looked up within the company. */
async function centralNames(
  db: CentralDb,
  companyId: string,
  kind: CentralKind,
  ids: string[],
): Promise<NameRow[]> {
  switch (kind) {
    case "installation":
      return db
        .select({ id: installations.id, name: installations.hostname })
        .from(installations)
        .where(and(eq(installations.companyId, companyId), idIn(installations.id, ids)));
    case "api_key":
      return db
        .select({ id: apiKeys.id, name: apiKeys.name })
        .from(apiKeys)
        .where(and(eq(apiKeys.companyId, companyId), idIn(apiKeys.id, ids)));
    case "member":
      return db
        .select({ id: member.id, name: user.name, email: user.email })
        .from(member)
        .innerJoin(user, eq(user.id, member.userId))
        .where(and(eq(member.organizationId, companyId), idIn(member.id, ids)))
        .then((rows) => rows.map((row) => ({ id: row.id, name: person(row.name, row.email) })));
    case "invitation":
      return db
        .select({ id: invitation.id, name: invitation.email })
        .from(invitation)
        .where(and(eq(invitation.organizationId, companyId), idIn(invitation.id, ids)));
    case "webhook_endpoint":
      return db
        .select({ id: webhookEndpoints.id, name: webhookEndpoints.url })
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.companyId, companyId), idIn(webhookEndpoints.id, ids)));
    case "webhook_delivery":
      return db
        .select({ id: webhookDeliveries.id, type: webhookDeliveries.eventType, url: webhookEndpoints.url })
        .from(webhookDeliveries)
        .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
        .where(and(eq(webhookDeliveries.companyId, companyId), idIn(webhookDeliveries.id, ids)))
        .then((rows) => rows.map((row) => ({ id: row.id, name: `${row.type} to ${row.url}` })));
    case "user":
      // A user is named only while they are a member of this company.
      return db
        .select({ id: user.id, name: user.name, email: user.email })
        .from(user)
        .innerJoin(member, and(eq(member.userId, user.id), eq(member.organizationId, companyId)))
        .where(idIn(user.id, ids))
        .then((rows) => rows.map((row) => ({ id: row.id, name: person(row.name, row.email) })));
    case "operator":
      // Operators act in every company; only accounts that are operators are named.
      return db
        .select({ id: user.id, name: user.email })
        .from(user)
        .where(and(eq(user.role, "admin"), idIn(user.id, ids)));
    case "registration_token":
      return db
        .select({ id: registrationTokens.id, name: registrationTokens.label })
        .from(registrationTokens)
        .where(and(eq(registrationTokens.usedByCompanyId, companyId), idIn(registrationTokens.id, ids)))
        .then((rows) => rows.map((row) => ({ id: row.id, name: row.name ?? "unnamed" })));
    case "error_project":
      // Numeric ids: the audit row holds them as text, json_each hands back numbers to compare.
      return db
        .select({ id: errorProjects.id, name: errorProjects.name })
        .from(errorProjects)
        .where(
          and(
            eq(errorProjects.companyId, companyId),
            inArray(
              errorProjects.id,
              sql`(SELECT value FROM json_each(${JSON.stringify(ids.map(Number).filter(Number.isSafeInteger))}))`,
            ),
          ),
        )
        .then((rows) => rows.map((row) => ({ id: String(row.id), name: row.name })));
  }
}

/** Each tenant kind's names, from the company's own database (which holds only its rows). */
async function tenantNames(orm: TenantDb, kind: TenantKind, ids: string[]): Promise<NameRow[]> {
  switch (kind) {
    case "machine":
      return orm
        .select({ id: machines.id, name: machines.name })
        .from(machines)
        .where(idIn(machines.id, ids));
    case "document":
      return orm
        .select({ id: documents.id, name: documents.name })
        .from(documents)
        .where(idIn(documents.id, ids));
    case "project":
      return orm
        .select({ id: projects.id, number: projects.number, client: projects.clientName })
        .from(projects)
        .where(idIn(projects.id, ids))
        .then((rows) =>
          rows.map((row) => ({ id: row.id, name: `${projectReference(row.number)} · ${row.client}` })),
        );
    case "showroom":
      return orm
        .select({ id: showrooms.id, name: showrooms.name })
        .from(showrooms)
        .where(idIn(showrooms.id, ids));
    case "llm_provider_key":
      return orm
        .select({ id: llmProviderKeys.id, provider: llmProviderKeys.provider, label: llmProviderKeys.label })
        .from(llmProviderKeys)
        .where(idIn(llmProviderKeys.id, ids))
        .then((rows) => rows.map((row) => ({ id: row.id, name: `${row.label} (${row.provider})` })));
    case "error_issue":
      return orm
        .select({ id: errorIssues.id, name: errorIssues.title })
        .from(errorIssues)
        .where(idIn(errorIssues.id, ids));
  }
}

const isTenantKind = (kind: Kind): kind is TenantKind => TENANT_KINDS.has(kind);

function actorKind(row: LabelledAuditRow): Kind | undefined {
  if (row.actorType === "operator" && row.actorId === OPERATOR_SECRET_ID) return undefined;
  return ACTOR_KINDS[row.actorType];
}

const isTargetKind = (type: string): type is Kind => TARGET_KINDS.has(type);

function targetKind(row: LabelledAuditRow): Kind | undefined {
  return row.targetType && isTargetKind(row.targetType) ? row.targetType : undefined;
}

/** The names of every id the page's rows hold, by kind. */
async function lookUp(
  env: Env,
  db: CentralDb,
  companyId: string,
  wanted: Map<Kind, Set<string>>,
): Promise<Map<Kind, Names>> {
  const tenantWanted = [...wanted.keys()].filter(isTenantKind);
  // The tenant database is opened only when a row names one of its rows; a company whose data
  // lives elsewhere (or cannot be reached now) still gets its log, with those targets unnamed.
  const orm =
    tenantWanted.length > 0
      ? await tenantDatabase(env, companyId).then(tenantOrm, (error: unknown) => {
          if (error instanceof ApiError) return undefined;
          throw error;
        })
      : undefined;
  const found = await Promise.all(
    [...wanted].map(async ([kind, ids]) => {
      const list = [...ids];
      const rows = isTenantKind(kind)
        ? orm
          ? await tenantNames(orm, kind, list)
          : []
        : await centralNames(db, companyId, kind, list);
      return [kind, new Map(rows.map((row) => [row.id, row.name]))] as const;
    }),
  );
  return new Map(found);
}

/** A name the row's own details recorded, for a target gone since (a removed member, a purged file). */
function recordedName(row: LabelledAuditRow): string | undefined {
  const details = row.details ?? {};
  const text = (key: string) => {
    const value = details[key];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  switch (row.targetType) {
    case "installation":
      return text("hostname");
    case "member":
    case "invitation":
      return text("email");
    case "webhook_endpoint":
      return text("url");
    case "document":
    case "showroom":
    case "api_key":
      return text("name");
    case "project":
      return text("reference");
    case "llm_provider_key":
      return text("label");
    case "error_project":
      return text("name");
    case "error_issue":
      return text("title");
    default:
      return undefined;
  }
}

function actorLabel(row: LabelledAuditRow, names: Map<Kind, Names>): string | undefined {
  const name = (kind: Kind) => (row.actorId ? names.get(kind)?.get(row.actorId) : undefined);
  switch (row.actorType) {
    case "operator": {
      if (row.actorId === OPERATOR_SECRET_ID) return "Platform operator";
      const email = name("operator");
      return email ? `Operator ${email}` : undefined;
    }
    case "api_key": {
      const key = name("api_key");
      return key ? `API key '${key}'` : undefined;
    }
    case "registration_token": {
      const token = name("registration_token");
      return token ? `Registration token '${token}'` : undefined;
    }
    case "installation":
      return name("installation");
    case "user":
      return name("user");
    case "system":
      return (row.actorId ? SYSTEM_JOBS[row.actorId] : undefined) ?? "System";
    case "anonymous":
      return "Anonymous";
    default:
      return undefined;
  }
}

function targetLabel(
  row: LabelledAuditRow,
  names: Map<Kind, Names>,
  company: { id: string; name: string } | undefined,
): string | undefined {
  if (!row.targetId) return undefined;
  if (row.targetType === "company") return row.targetId === company?.id ? company.name : undefined;
  if (row.targetType === "pipeline") {
    return row.targetId === "default" ? "Default pipeline" : `Pipeline of ${row.targetId} showrooms`;
  }
  const kind = targetKind(row);
  return (kind ? names.get(kind)?.get(row.targetId) : undefined) ?? recordedName(row);
}

/**
 * The actor's and the target's names for each row of one page of `companyId`'s log, in the rows'
 * order. A name that cannot be found is left out (the raw ids stay on the entry).
 */
export async function auditLabels(
  env: Env,
  db: CentralDb,
  companyId: string,
  rows: readonly LabelledAuditRow[],
): Promise<AuditRowLabels[]> {
  const wanted = new Map<Kind, Set<string>>();
  const want = (kind: Kind | undefined, id: string | null) => {
    if (!kind || !id) return;
    const ids = wanted.get(kind) ?? new Set<string>();
    wanted.set(kind, ids.add(id));
  };
  for (const row of rows) {
    want(actorKind(row), row.actorId);
    want(targetKind(row), row.targetId);
  }
  const namesTheCompany = rows.some((row) => row.targetType === "company" && row.targetId === companyId);
  const [names, company] = await Promise.all([
    lookUp(env, db, companyId, wanted),
    namesTheCompany
      ? db
          .select({ id: companies.id, name: companies.companyName })
          .from(companies)
          .where(eq(companies.id, companyId))
          .then(([row]) => row)
      : undefined,
  ]);
  return rows.map((row) => {
    const actor = actorLabel(row, names);
    const target = targetLabel(row, names, company);
    return {
      ...(actor === undefined ? {} : { actor_label: actor }),
      ...(target === undefined ? {} : { target_label: target }),
    };
  });
}
