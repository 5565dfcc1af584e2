// Tenant D1: one database per company, holding that company's business data and nothing else.
// Later features (machines, telemetry, documents, CRM) add their tables here.
// Columns holding a contract's enum or JSON shape are typed with it ($type: no effect on the SQL),
// so rows read back need no cast; the API validates what it writes against the same schemas.
import type {
  Activity,
  AssignmentRole,
  ChatCompletion,
  ErrorEventData,
  ErrorIssueStatus,
  ErrorLevel,
  FeatureFlag,
  LlmCall,
  LlmPolicy,
  LlmProvider,
  Project,
  SearchEntityType,
  SearchFacetField,
  StageRequirement,
} from "@nexus/contracts";
import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

const nowMs = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

// The owner of the database, in a single row written when the database is claimed and checked
// whenever the API opens it, so a mis-mapped binding can never serve another company's data.
export const tenantInfo = sqliteTable(
  "tenant_info",
  {
    id: integer("id").primaryKey().default(1),
    companyId: text("company_id").notNull(),
    claimedAt: integer("claimed_at", { mode: "timestamp_ms" }).notNull().default(nowMs),
  },
  (t) => [check("tenant_info_single_row", sql`${t.id} = 1`)],
);

// ---- machines and telemetry (seed 002) ------------------------------------------------------------

export const machines = sqliteTable(
  "machines",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    type: text("type"),
    status: text("status").notNull().default("running"),
    // Kept current by workers/consumers from the last values and the thresholds.
    healthScore: real("health_score"),
    gridX: integer("grid_x"),
    gridY: integer("grid_y"),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    thresholds: text("thresholds", { mode: "json" })
      .$type<Record<string, Record<string, number>>>()
      .notNull()
      .default({}),
    lastSampleAt: integer("last_sample_at"),
    createdAt: integer("created_at").notNull().default(nowMs),
    updatedAt: integer("updated_at").notNull().default(nowMs),
  },
  (t) => [index("machines_health_idx").on(t.healthScore)],
);

/** Each machine's newest value per metric (by sample time, not arrival). */
export const machineMetrics = sqliteTable(
  "machine_metrics",
  {
    machineId: text("machine_id")
      .notNull()
      .references(() => machines.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    value: real("value").notNull(),
    ts: integer("ts").notNull(),
  },
  (t) => [primaryKey({ columns: [t.machineId, t.metric] })],
);

/** One roll-up table per resolution; `bucket` is the bucket's start in epoch milliseconds. */
const rollupTable = (name: string) =>
  sqliteTable(
    name,
    {
      machineId: text("machine_id")
        .notNull()
        .references(() => machines.id, { onDelete: "cascade" }),
      metric: text("metric").notNull(),
      bucket: integer("bucket").notNull(),
      count: integer("count").notNull(),
      sum: real("sum").notNull(),
      min: real("min").notNull(),
      max: real("max").notNull(),
      last: real("last").notNull(),
      // Sample time of `last`, so a late-arriving older sample never replaces it.
      lastTs: integer("last_ts").notNull(),
    },
    (t) => [primaryKey({ columns: [t.machineId, t.metric, t.bucket] })],
  );
export const telemetryMinute = rollupTable("telemetry_minute");
export const telemetryHour = rollupTable("telemetry_hour");
export const telemetryDay = rollupTable("telemetry_day");

/** Queue messages already rolled up (idempotency keys), written in the same batch as their effect. */
export const telemetryBatches = sqliteTable("telemetry_batches", {
  key: text("key").primaryKey(),
  samples: integer("samples").notNull(),
  usage: integer("usage").notNull(),
  // Samples for machines that did not exist (any more) when the batch was rolled up.
  dropped: integer("dropped").notNull().default(0),
  processedAt: integer("processed_at").notNull().default(nowMs),
});

// ---- app usage (seeds 000/004) --------------------------------------------------------------------

/** The version each installation ran on a UTC day (its last report that day wins). */
export const appVersionDays = sqliteTable(
  "app_version_days",
  {
    day: text("day").notNull(),
    installationId: text("installation_id").notNull(),
    appVersion: text("app_version").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.installationId] })],
);

/** App usage events counted per UTC day; `name` is '' for events without one. */
export const appUsageDaily = sqliteTable(
  "app_usage_daily",
  {
    day: text("day").notNull(),
    event: text("event").notNull(),
    name: text("name").notNull().default(""),
    appVersion: text("app_version").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.event, t.name, t.appVersion] })],
);

// ---- documents (seeds 001, 002, 004) ---------------------------------------------------------------

/**
 * The company's document library. Bytes live in the DOCUMENTS R2 bucket under `r2_key` (the company's
 * prefix and the document id: a name never becomes a path). `size` is reserved against the storage
 * quota from the moment an upload is declared until the document is purged.
 */
export const documents = sqliteTable(
  "documents",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    type: text("type").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    // Declared by the uploader (checked) or computed from the stored bytes.
    sha256: text("sha256"),
    status: text("status", { enum: ["uploading", "ready"] }).notNull(),
    r2Key: text("r2_key").notNull(),
    // R2's id of an unfinished multipart upload.
    multipartUploadId: text("multipart_upload_id"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    machineId: text("machine_id"),
    projectId: text("project_id"),
    uploadedByType: text("uploaded_by_type").notNull(),
    uploadedById: text("uploaded_by_id"),
    createdAt: integer("created_at").notNull().default(nowMs),
    updatedAt: integer("updated_at").notNull().default(nowMs),
    // An unfinished upload is abandoned after this (its reservation freed by the purge).
    uploadExpiresAt: integer("upload_expires_at"),
    deletedAt: integer("deleted_at"),
    purgeAfter: integer("purge_after"),
  },
  (t) => [
    index("documents_listing_idx").on(t.deletedAt, t.id),
    index("documents_machine_idx").on(t.machineId),
    index("documents_project_idx").on(t.projectId),
    index("documents_purge_idx").on(t.purgeAfter),
  ],
);

/** Parts of unfinished multipart uploads (R2 needs their etags to complete). */
export const documentParts = sqliteTable(
  "document_parts",
  {
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    partNumber: integer("part_number").notNull(),
    size: integer("size").notNull(),
    etag: text("etag").notNull(),
    uploadedAt: integer("uploaded_at").notNull().default(nowMs),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.partNumber] })],
);

// ---- CRM (seed 001) -----------------------------------------------------------------------------

export const showrooms = sqliteTable("showrooms", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  type: text("type").notNull(),
  address: text("address", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
  settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
  branding: text("branding", { mode: "json" })
    .$type<{ logo_url: string | null; primary_color: string | null }>()
    .notNull()
    .default({ logo_url: null, primary_color: null }),
  createdAt: integer("created_at").notNull().default(nowMs),
  updatedAt: integer("updated_at").notNull().default(nowMs),
});

/** Which of the company's users work in which showroom (a user may work in several). */
export const showroomMembers = sqliteTable(
  "showroom_members",
  {
    showroomId: text("showroom_id")
      .notNull()
      .references(() => showrooms.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.showroomId, t.userId] }), index("showroom_members_user_idx").on(t.userId)],
);

/**
 * The pipelines: one row per stage, ordered by position. `showroom_type` '' is the company's default
 * pipeline; a showroom type with its own rows uses those instead.
 */
export const pipelineStages = sqliteTable(
  "pipeline_stages",
  {
    showroomType: text("showroom_type").notNull(),
    key: text("key").notNull(),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    requirements: text("requirements", { mode: "json" }).$type<StageRequirement[]>().notNull().default([]),
    assigneeRole: text("assignee_role"),
  },
  (t) => [primaryKey({ columns: [t.showroomType, t.key] })],
);

/** The next project number; bumped in the same batch as the insert, so numbers have no gaps. */
export const projectCounter = sqliteTable("project_counter", {
  id: integer("id").primaryKey(),
  next: integer("next").notNull(),
});

export const projects = sqliteTable(
  "projects",
  {
    id: text("id").primaryKey(),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    client: text("client", { mode: "json" }).$type<Project["client"]>().notNull(),
    // Denormalised for the text filter.
    clientName: text("client_name").notNull(),
    clientEmail: text("client_email"),
    showroomId: text("showroom_id")
      .notNull()
      .references(() => showrooms.id),
    stage: text("stage").notNull(),
    status: text("status").$type<Project["status"]>().notNull().default("active"),
    value: real("value"),
    checklist: text("checklist", { mode: "json" }).$type<Record<string, boolean>>().notNull().default({}),
    expectedCompletion: text("expected_completion"),
    createdAt: integer("created_at").notNull().default(nowMs),
    updatedAt: integer("updated_at").notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex("projects_number_unique").on(t.number),
    // With the id last, a filtered list page (newest first) reads the index in order, no sort.
    index("projects_stage_id_idx").on(t.stage, t.id),
    index("projects_showroom_id_idx").on(t.showroomId, t.id),
  ],
);

/** One person per role per project (surveyor, designer, installer). */
export const projectAssignments = sqliteTable(
  "project_assignments",
  {
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    role: text("role").$type<AssignmentRole>().notNull(),
    userId: text("user_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.role] }),
    // "The projects assigned to a user" (an installer's list) without reading the projects table.
    index("project_assignments_user_project_idx").on(t.userId, t.projectId),
  ],
);

/** The project's history: notes, calls, visits, check-ins (with GPS) and every stage change. */
export const activities = sqliteTable(
  "activities",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    type: text("type").$type<Activity["type"]>().notNull(),
    body: text("body"),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    occurredAt: integer("occurred_at").notNull(),
    createdAt: integer("created_at").notNull().default(nowMs),
  },
  (t) => [index("activities_project_idx").on(t.projectId, t.id)],
);

export const featureFlags = sqliteTable("feature_flags", {
  key: text("key").primaryKey(),
  description: text("description").notNull().default(""),
  enabled: integer("enabled", { mode: "boolean" }).notNull(),
  rules: text("rules", { mode: "json" }).$type<FeatureFlag["rules"]>().notNull().default([]),
});

// ---- mobile sync (issue 11) -------------------------------------------------------------------------

/**
 * Every change to synced data, in server order: `version` is the pull cursor (never a device clock).
 * Written by triggers (migration 0004_sync), so no write path can forget it. `op` is `upsert` or
 * `delete`, or for scope events (`entity` = 'scope'): `enter` / `leave` of `user_id` on a project.
 */
export const syncChanges = sqliteTable(
  "sync_changes",
  {
    version: integer("version").primaryKey({ autoIncrement: true }),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    projectId: text("project_id"),
    op: text("op").notNull(),
    userId: text("user_id"),
    changedAt: integer("changed_at").notNull().default(nowMs),
  },
  (t) => [
    index("sync_changes_project_idx").on(t.projectId, t.version),
    index("sync_changes_user_idx").on(t.userId, t.version),
  ],
);

/** Each device's last applied mutation id (strictly increasing per device). */
export const syncDevices = sqliteTable("sync_devices", {
  deviceId: text("device_id").primaryKey(),
  userId: text("user_id").notNull(),
  lastMutationId: integer("last_mutation_id").notNull().default(0),
  updatedAt: integer("updated_at").notNull().default(nowMs),
});

/**
 * Every mutation a device pushed, applied or rejected by a business rule. The row is inserted first in
 * the mutation's batch: a mutation applied twice (two pushes racing) fails its primary key and
 * rolls back, so it has no second effect.
 */
export const syncMutationLog = sqliteTable(
  "sync_mutation_log",
  {
    deviceId: text("device_id").notNull(),
    mutationId: integer("mutation_id").notNull(),
    name: text("name").notNull(),
    outcome: text("outcome", { enum: ["applied", "rejected"] }).notNull(),
    code: text("code"),
    message: text("message"),
    at: integer("at").notNull().default(nowMs),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.mutationId] })],
);

/** Field edits that overwrote another value (per-field last writer wins, in server order). */
export const syncOverwrites = sqliteTable(
  "sync_overwrites",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: text("project_id").notNull(),
    field: text("field").notNull(),
    previous: text("previous"),
    value: text("value"),
    deviceId: text("device_id").notNull(),
    mutationId: integer("mutation_id").notNull(),
    at: integer("at").notNull().default(nowMs),
  },
  (t) => [index("sync_overwrites_project_idx").on(t.projectId)],
);

// ---- LLM gateway (issue 24) -------------------------------------------------------------------------

/** The company's gateway policy, one row (absent: the platform's defaults). */
export const llmSettings = sqliteTable(
  "llm_settings",
  {
    id: integer("id").primaryKey().default(1),
    policy: text("policy", { mode: "json" }).$type<Omit<LlmPolicy, "updated_at">>().notNull(),
    updatedAt: integer("updated_at").notNull().default(nowMs),
  },
  (t) => [check("llm_settings_single_row", sql`${t.id} = 1`)],
);

/**
 * The company's own provider keys (BYOK), sealed with the company's key; the associated data binds
 * the company and the provider, so a sealed key moved to another row or company does not open.
 */
export const llmProviderKeys = sqliteTable("llm_provider_keys", {
  id: text("id").primaryKey(),
  provider: text("provider").$type<LlmProvider>().notNull(),
  label: text("label").notNull(),
  sealedKey: text("sealed_key").notNull(),
  last4: text("last4").notNull(),
  createdBy: text("created_by"),
  createdAt: integer("created_at").notNull().default(nowMs),
  rotatedAt: integer("rotated_at"),
});

/** One row per gateway call, successful or not: what it cost and which target answered. */
export const llmCalls = sqliteTable(
  "llm_calls",
  {
    id: text("id").primaryKey(),
    requestId: text("request_id").notNull(),
    createdAt: integer("created_at").notNull(),
    model: text("model").notNull(),
    provider: text("provider").$type<LlmProvider>(),
    providerModel: text("provider_model"),
    keySource: text("key_source", { enum: ["platform", "byok"] }),
    apiKeyId: text("api_key_id"),
    installationId: text("installation_id"),
    fallbackStep: integer("fallback_step"),
    attempts: text("attempts", { mode: "json" }).$type<LlmCall["attempts"]>().notNull().default([]),
    stream: integer("stream", { mode: "boolean" }).notNull(),
    status: text("status").$type<LlmCall["status"]>().notNull(),
    httpStatus: integer("http_status").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    cachedTokens: integer("cached_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    costUsdMicros: integer("cost_usd_micros").notNull().default(0),
    priceVersion: text("price_version").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    estimated: integer("estimated", { mode: "boolean" }).notNull().default(false),
    prompt: text("prompt"),
    output: text("output"),
    contentExpiresAt: integer("content_expires_at"),
  },
  (t) => [
    index("llm_calls_created_idx").on(t.createdAt, t.id),
    index("llm_calls_api_key_idx").on(t.apiKeyId, t.createdAt),
    index("llm_calls_model_idx").on(t.model, t.createdAt),
  ],
);

/** The optional exact cache: an answer per (model, request body hash), until it expires. */
export const llmCache = sqliteTable("llm_cache", {
  key: text("key").primaryKey(),
  model: text("model").notNull(),
  completion: text("completion", { mode: "json" }).$type<ChatCompletion>().notNull(),
  createdAt: integer("created_at").notNull().default(nowMs),
  expiresAt: integer("expires_at").notNull(),
});

// ---- app error tracking (Sentry protocol) ---------------------------------------------------------
// Written by the error consumer (workers/consumers/src/errors/), read by the API's error routes.
// `project_id` is the central error_projects id; times are integer milliseconds.

/**
 * The errors queue's messages already applied to this database (key `errors:<message id>`): a message
 * redelivered after its batch committed is skipped, so sessions (which carry no id) never count
 * twice. Kept 8 days by the consumers' daily housekeeping, long past any retry.
 */
export const errorBatches = sqliteTable("error_batches", {
  key: text("key").primaryKey(),
  items: integer("items").notNull(),
  // Events of the message already stored by another message (an SDK resending them).
  duplicates: integer("duplicates").notNull().default(0),
  processedAt: integer("processed_at").notNull().default(nowMs),
});

/** An issue: the events sharing one fingerprint in one project. */
export const errorIssues = sqliteTable(
  "error_issues",
  {
    id: text("id").primaryKey(),
    projectId: integer("project_id").notNull(),
    fingerprint: text("fingerprint").notNull(),
    title: text("title").notNull(),
    // Where it happened: the top in-app frame's function and file, or the logger / transaction.
    culprit: text("culprit"),
    // The exception type ("TypeError"), or null for a message event.
    type: text("type"),
    level: text("level").$type<ErrorLevel>().notNull(),
    platform: text("platform").notNull(),
    status: text("status").$type<ErrorIssueStatus>().notNull().default("unresolved"),
    // Resolved in this release: an event from it or a later one is a regression; null: any new event.
    resolvedInRelease: text("resolved_in_release"),
    resolvedAt: integer("resolved_at"),
    regressedAt: integer("regressed_at"),
    firstSeen: integer("first_seen").notNull(),
    lastSeen: integer("last_seen").notNull(),
    timesSeen: integer("times_seen").notNull().default(0),
    usersSeen: integer("users_seen").notNull().default(0),
    firstRelease: text("first_release"),
    lastRelease: text("last_release"),
    lastEventId: text("last_event_id"),
  },
  (t) => [
    uniqueIndex("error_issues_fingerprint_unique").on(t.projectId, t.fingerprint),
    index("error_issues_last_seen_idx").on(t.status, t.lastSeen),
  ],
);

/** The distinct users an issue affected (user id, email, IP or the session's distinct id). */
export const errorIssueUsers = sqliteTable(
  "error_issue_users",
  {
    issueId: text("issue_id").notNull(),
    userKey: text("user_key").notNull(),
  },
  (t) => [primaryKey({ columns: [t.issueId, t.userKey] })],
);

/** The releases an issue occurs in, with its count in each. */
export const errorIssueReleases = sqliteTable(
  "error_issue_releases",
  {
    issueId: text("issue_id").notNull(),
    release: text("release").notNull(),
    firstSeen: integer("first_seen").notNull(),
    lastSeen: integer("last_seen").notNull(),
    timesSeen: integer("times_seen").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.issueId, t.release] })],
);

/** Occurrences over time: an issue's count per UTC hour (`hour`: the hour's start, ms). */
export const errorIssueHours = sqliteTable(
  "error_issue_hours",
  {
    issueId: text("issue_id").notNull(),
    hour: integer("hour").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.issueId, t.hour] })],
);

/** One event as stored: the searchable fields, and the normalised, symbolicated event in `data`. */
export const errorEvents = sqliteTable(
  "error_events",
  {
    projectId: integer("project_id").notNull(),
    eventId: text("event_id").notNull(),
    issueId: text("issue_id").notNull(),
    receivedAt: integer("received_at").notNull(),
    occurredAt: integer("occurred_at").notNull(),
    level: text("level").$type<ErrorLevel>().notNull(),
    release: text("release"),
    environment: text("environment"),
    platform: text("platform").notNull(),
    userKey: text("user_key"),
    data: text("data", { mode: "json" }).$type<ErrorEventData>().notNull(),
    // The raw envelope, gzipped in the ERRORS bucket (kept for the raw retention, then purged).
    rawKey: text("raw_key"),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.eventId] }),
    index("error_events_issue_idx").on(t.issueId, t.receivedAt),
    index("error_events_received_idx").on(t.receivedAt),
  ],
);

/** Session counts per project, release, environment and UTC hour (release health). */
export const errorSessions = sqliteTable(
  "error_sessions",
  {
    projectId: integer("project_id").notNull(),
    release: text("release").notNull(),
    environment: text("environment").notNull().default(""),
    hour: integer("hour").notNull(),
    started: integer("started").notNull().default(0),
    errored: integer("errored").notNull().default(0),
    crashed: integer("crashed").notNull().default(0),
    abnormal: integer("abnormal").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.release, t.environment, t.hour] })],
);

/** The distinct users (session `did`) per project and release, and whether one of theirs crashed. */
export const errorSessionUsers = sqliteTable(
  "error_session_users",
  {
    projectId: integer("project_id").notNull(),
    release: text("release").notNull(),
    userKey: text("user_key").notNull(),
    crashed: integer("crashed", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.release, t.userKey] })],
);

/** Source maps uploaded per project and release; `name` is the minified file's URL (`~/app.js`). */
export const errorSourceMaps = sqliteTable(
  "error_source_maps",
  {
    projectId: integer("project_id").notNull(),
    release: text("release").notNull(),
    name: text("name").notNull(),
    r2Key: text("r2_key").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    uploadedAt: integer("uploaded_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.release, t.name] })],
);

// ---- federated search (docs/search.md) ------------------------------------------------------------

/**
 * One row per searchable record: the content of the FTS5 indexes `search_fts` (words) and
 * `search_trigram` (substrings), which are external-content tables over this one. Triggers on the
 * records' tables keep it current in the same statement as the write (migration 0009_search_index);
 * members, who live in the central database, are written by the API when they change.
 */
export const searchEntities = sqliteTable(
  "search_entities",
  {
    rowid: integer("rowid").primaryKey(),
    entityType: text("entity_type").$type<SearchEntityType>().notNull(),
    entityId: text("entity_id").notNull(),
    // For the installer's scope: the project this record belongs to (or is).
    projectId: text("project_id"),
    title: text("title").notNull().default(""),
    body: text("body").notNull().default(""),
    tags: text("tags").notNull().default(""),
    // The record's facet fields (SEARCH_FACET_FIELDS) as a JSON object of strings.
    facets: text("facets", { mode: "json" })
      .$type<Partial<Record<SearchFacetField, string>>>()
      .notNull()
      .default({}),
    updatedAt: integer("updated_at").notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex("search_entities_entity_unique").on(t.entityType, t.entityId),
    index("search_entities_project_idx").on(t.projectId),
  ],
);

/** Text extracted from a document's bytes (text files, simple PDFs) for the index; bounded in size. */
export const documentTexts = sqliteTable("document_texts", {
  documentId: text("document_id")
    .primaryKey()
    .references(() => documents.id, { onDelete: "cascade" }),
  text: text("text").notNull(),
  extractedAt: integer("extracted_at").notNull().default(nowMs),
});

/** The query log: one row per search request, with the result the user then opened (if any). */
export const searchQueries = sqliteTable(
  "search_queries",
  {
    id: text("id").primaryKey(),
    // normalizeQuery() of what was typed: the same words group together in the report.
    query: text("query").notNull(),
    types: text("types", { mode: "json" }).$type<SearchEntityType[] | null>(),
    filters: text("filters", { mode: "json" }).$type<Record<string, unknown> | null>(),
    resultCount: integer("result_count").notNull(),
    latencyMs: real("latency_ms").notNull(),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    clickedType: text("clicked_type").$type<SearchEntityType>(),
    clickedId: text("clicked_id"),
    clickedPosition: integer("clicked_position"),
    createdAt: integer("created_at").notNull().default(nowMs),
  },
  (t) => [
    index("search_queries_created_idx").on(t.createdAt),
    index("search_queries_query_idx").on(t.query, t.createdAt),
  ],
);

// ——— Notifications (docs/notifications.md) ———
// Recipients are keyed as `user:<id>` (members and installers, who are users), `email:<address>` or
// `phone:<E.164>`: one key space for preferences, the inbox, idempotency and history.

/**
 * A company's workflows: its own, and its overrides of the built-in ones (same key; contracts'
 * BUILT_IN_WORKFLOWS holds the defaults, so a company without rows still has every built-in).
 */
export const notificationWorkflows = sqliteTable("notification_workflows", {
  key: text("key").primaryKey(),
  name: text("name").notNull(),
  category: text("category").notNull(),
  // Critical workflows deliver through opt-outs and quiet hours.
  critical: integer("critical", { mode: "boolean" }).notNull().default(false),
  channels: text("channels", { mode: "json" }).$type<string[]>().notNull(),
  // Low-priority workflows batch a recipient's messages over this window into one digest (null: none).
  digestMinutes: integer("digest_minutes"),
  createdAt: integer("created_at").notNull().default(nowMs),
  updatedAt: integer("updated_at").notNull().default(nowMs),
});

/** Templates per workflow, channel and locale; each save is a new version and the newest one is used. */
export const notificationTemplates = sqliteTable(
  "notification_templates",
  {
    id: text("id").primaryKey(),
    workflowKey: text("workflow_key").notNull(),
    channel: text("channel").notNull(),
    locale: text("locale").notNull(),
    version: integer("version").notNull(),
    subject: text("subject"),
    body: text("body").notNull(),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex("notification_templates_version_unique").on(t.workflowKey, t.channel, t.locale, t.version),
  ],
);

/**
 * One row per recipient and channel of a trigger: the history, the in-app inbox (channel `in_app`)
 * and the delivery state machine (Knock's states). The unique index on the idempotency key is what
 * makes a repeated trigger, even a concurrent one, a no-op.
 */
export const notificationMessages = sqliteTable(
  "notification_messages",
  {
    id: text("id").primaryKey(),
    workflowKey: text("workflow_key").notNull(),
    category: text("category").notNull(),
    critical: integer("critical", { mode: "boolean" }).notNull().default(false),
    idempotencyKey: text("idempotency_key"),
    recipientKey: text("recipient_key").notNull(),
    channel: text("channel").notNull(),
    // Where it goes: an email address or phone number; null for in-app and push (the user's subscriptions).
    address: text("address"),
    locale: text("locale").notNull().default("en"),
    subject: text("subject"),
    body: text("body").notNull(),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text("status").notNull().default("queued"),
    statusReason: text("status_reason"),
    provider: text("provider"),
    providerMessageId: text("provider_message_id"),
    attempts: integer("attempts").notNull().default(0),
    // Held until (quiet hours, digest window); null: deliver now.
    scheduledFor: integer("scheduled_for"),
    // Messages batched into one digest share it; the digest's own message carries it too.
    digestKey: text("digest_key"),
    // Who triggered it: a user id, an API key id, or `system:<event>`.
    triggeredBy: text("triggered_by"),
    createdAt: integer("created_at").notNull().default(nowMs),
    updatedAt: integer("updated_at").notNull().default(nowMs),
    sentAt: integer("sent_at"),
    deliveredAt: integer("delivered_at"),
    readAt: integer("read_at"),
    archivedAt: integer("archived_at"),
  },
  (t) => [
    uniqueIndex("notification_messages_idempotency_unique").on(t.idempotencyKey, t.recipientKey, t.channel),
    index("notification_messages_created_idx").on(t.createdAt),
    index("notification_messages_status_idx").on(t.status, t.createdAt),
    index("notification_messages_recipient_idx").on(t.recipientKey, t.channel, t.createdAt),
    index("notification_messages_provider_idx").on(t.providerMessageId),
    index("notification_messages_digest_idx").on(t.digestKey),
  ],
);

/** Every provider call for a message: which provider, what happened, and the retry delay it earned. */
export const notificationAttempts = sqliteTable(
  "notification_attempts",
  {
    id: text("id").primaryKey(),
    messageId: text("message_id").notNull(),
    attempt: integer("attempt").notNull(),
    provider: text("provider").notNull(),
    // "sent" | "failed" (then `error`); a failover attempt names the next provider in its own row.
    outcome: text("outcome").notNull(),
    error: text("error"),
    httpStatus: integer("http_status"),
    latencyMs: integer("latency_ms"),
    retryDelaySeconds: integer("retry_delay_seconds"),
    createdAt: integer("created_at").notNull().default(nowMs),
  },
  (t) => [index("notification_attempts_message_idx").on(t.messageId, t.createdAt)],
);

/** Opt-outs and opt-ins per recipient, category and channel (`*`: every category or channel). */
export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    recipientKey: text("recipient_key").notNull(),
    category: text("category").notNull(),
    channel: text("channel").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    updatedAt: integer("updated_at").notNull().default(nowMs),
  },
  (t) => [primaryKey({ columns: [t.recipientKey, t.category, t.channel] })],
);

/** A recipient's time zone and quiet hours ("HH:MM" local; the window may cross midnight). */
export const notificationRecipientSettings = sqliteTable("notification_recipient_settings", {
  recipientKey: text("recipient_key").primaryKey(),
  timeZone: text("time_zone").notNull().default("UTC"),
  quietStart: text("quiet_start"),
  quietEnd: text("quiet_end"),
  locale: text("locale"),
  updatedAt: integer("updated_at").notNull().default(nowMs),
});

/** Web push subscriptions (RFC 8030 endpoint with RFC 8291 keys) of dashboards and mobile installers. */
export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    id: text("id").primaryKey(),
    recipientKey: text("recipient_key").notNull(),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    // "browser" | "mobile": the mobile sync client also gets "sync now" pushes.
    kind: text("kind").notNull().default("browser"),
    userAgent: text("user_agent"),
    createdAt: integer("created_at").notNull().default(nowMs),
    lastSuccessAt: integer("last_success_at"),
  },
  (t) => [
    uniqueIndex("push_subscriptions_endpoint_unique").on(t.endpoint),
    index("push_subscriptions_recipient_idx").on(t.recipientKey),
  ],
);

// ——— Chat (CRM live messaging) ———

/** A project's conversation (one per project) or a direct conversation between two users. */
export const chatConversations = sqliteTable(
  "chat_conversations",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["project", "direct"] }).notNull(),
    projectId: text("project_id"),
    // The two user ids, sorted and joined with a space: one direct conversation per pair.
    directKey: text("direct_key"),
    createdAt: integer("created_at").notNull().default(nowMs),
    lastMessageAt: integer("last_message_at"),
  },
  (t) => [
    uniqueIndex("chat_conversations_project_unique").on(t.projectId),
    uniqueIndex("chat_conversations_direct_unique").on(t.directKey),
  ],
);

/** Who takes part in a direct conversation, and who has followed a project's (for receipts). */
export const chatParticipants = sqliteTable(
  "chat_participants",
  {
    conversationId: text("conversation_id").notNull(),
    userId: text("user_id").notNull(),
    joinedAt: integer("joined_at").notNull().default(nowMs),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.userId] }),
    index("chat_participants_user_idx").on(t.userId),
  ],
);

export const chatMessages = sqliteTable(
  "chat_messages",
  {
    // UUIDv7: time-ordered, so the id is the history's cursor.
    id: text("id").primaryKey(),
    conversationId: text("conversation_id").notNull(),
    senderId: text("sender_id").notNull(),
    senderName: text("sender_name"),
    body: text("body").notNull(),
    // The sender's own id for the message, so a resend after a dropped connection is not a second message.
    clientId: text("client_id"),
    createdAt: integer("created_at").notNull().default(nowMs),
  },
  (t) => [
    index("chat_messages_conversation_idx").on(t.conversationId, t.id),
    uniqueIndex("chat_messages_client_unique").on(t.conversationId, t.senderId, t.clientId),
  ],
);

/** Delivery and read receipts, per message and reader. */
export const chatReceipts = sqliteTable(
  "chat_receipts",
  {
    messageId: text("message_id").notNull(),
    userId: text("user_id").notNull(),
    deliveredAt: integer("delivered_at"),
    readAt: integer("read_at"),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId] })],
);
