// Central D1 (CENTRAL_DB): the control plane shared by every tenant. Column names are snake_case;
// times are integer milliseconds since the epoch.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

export const companies = sqliteTable(
  "companies",
  {
    id: text("id").primaryKey(),
    companyCode: text("company_code").notNull(),
    companyName: text("company_name").notNull(),
    adminEmail: text("admin_email").notNull(),
    adminPhone: text("admin_phone"),
    subscriptionStatus: text("subscription_status").notNull().default("trial"),
    subscriptionTier: text("subscription_tier").notNull().default("standard"),
    maxUsers: integer("max_users").notNull().default(10),
    maxInstallations: integer("max_installations").notNull().default(5),
    settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    // Bumped on every settings change so heartbeats can report `settings_changed`.
    settingsVersion: integer("settings_version").notNull().default(1),
    updateChannel: text("update_channel").notNull().default("stable"),
    minimumAppVersion: text("minimum_app_version"),
    // Update delivery: serve no release newer than this version (null = no pin).
    pinnedVersion: text("pinned_version"),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    // Suspension is an operator decision, kept apart from the billing status so resuming restores it.
    suspendedAt: integer("suspended_at", { mode: "timestamp_ms" }),
    suspendedReason: text("suspended_reason"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    // Billing: the Stripe customer whose subscription drives status, tier, limits and expiry, and the
    // `created` time of the newest Stripe event applied (older events arriving late are ignored).
    stripeCustomerId: text("stripe_customer_id"),
    billingEventAt: integer("billing_event_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("companies_company_code_unique").on(t.companyCode),
    uniqueIndex("companies_stripe_customer_unique").on(t.stripeCustomerId),
    index("companies_created_at_idx").on(t.createdAt),
  ],
);

export const companyDatabases = sqliteTable(
  "company_databases",
  {
    companyId: text("company_id")
      .primaryKey()
      .references(() => companies.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: ["d1", "custom"] }).notNull(),
    // provider d1: the pooled binding that holds this company's data.
    bindingName: text("binding_name"),
    // provider custom: AES-256-GCM ciphertext of the company's own database config.
    encryptedConfig: text("encrypted_config"),
    schemaVersion: text("schema_version"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("company_databases_binding_unique").on(t.bindingName)],
);

export const tenantDbPool = sqliteTable(
  "tenant_db_pool",
  {
    bindingName: text("binding_name").primaryKey(),
    // Cloudflare's database uuid when known (set by `nexus tenants pool add`).
    databaseId: text("database_id"),
    status: text("status", { enum: ["free", "reserved", "assigned"] })
      .notNull()
      .default("free"),
    companyId: text("company_id"),
    reservedAt: integer("reserved_at", { mode: "timestamp_ms" }),
    schemaVersion: text("schema_version"),
    createdAt: createdAt(),
  },
  (t) => [index("tenant_db_pool_status_idx").on(t.status)],
);

export const installations = sqliteTable(
  "installations",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    machineId: text("machine_id").notNull(),
    hostname: text("hostname").notNull(),
    username: text("username"),
    ipAddress: text("ip_address"),
    appVersion: text("app_version"),
    osVersion: text("os_version"),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    settingsVersionSeen: integer("settings_version_seen").notNull().default(0),
    lastHeartbeatAt: integer("last_heartbeat_at", { mode: "timestamp_ms" }),
    deactivatedAt: integer("deactivated_at", { mode: "timestamp_ms" }),
    // "admin": deactivated by an administrator (validate again); "silent": no heartbeat past the
    // grace period (a late heartbeat within the revive window brings it back).
    deactivationReason: text("deactivation_reason", { enum: ["admin", "silent"] }),
    // The binding (services/installations.ts): the SHA-256 of the secret only this machine holds,
    // and since when. Null before the first validate that bound it (trust on first use) and after
    // an administrator reset it; a machine_id alone is no proof of being that machine.
    secretHash: text("secret_hash"),
    boundAt: integer("bound_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("installations_company_machine_unique").on(t.companyId, t.machineId),
    // The dashboard's list pages newest first (by id) within a company, optionally by status: with the
    // id last in the index SQLite reads one page of it instead of sorting the whole company.
    index("installations_company_id_idx").on(t.companyId, t.id),
    index("installations_company_active_id_idx").on(t.companyId, t.isActive, t.id),
  ],
);

export const auditLogs = sqliteTable(
  "audit_logs",
  {
    // Time-ordered id (see newSortableId) so the cursor pagination can use it alone.
    id: text("id").primaryKey(),
    companyId: text("company_id"),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    createdAt: createdAt(),
  },
  (t) => [index("audit_logs_company_idx").on(t.companyId, t.id)],
);

export const registrationTokens = sqliteTable(
  "registration_tokens",
  {
    id: text("id").primaryKey(),
    // SHA-256 of the token; the token itself is shown once when it is created.
    tokenHash: text("token_hash").notNull(),
    label: text("label"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    // Set when a registration claims the token (before its company exists), so a retry after a crash
    // resumes with the same company id; `used_at` is set only in the batch that creates the company.
    usedByCompanyId: text("used_by_company_id"),
    claimedAt: integer("claimed_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    // What the registered company gets, chosen by the operator who created the token (never by the
    // registrant). Null limits: the tier's defaults; null subscription_days: no expiry.
    subscriptionTier: text("subscription_tier", { enum: ["standard", "professional", "enterprise"] })
      .notNull()
      .default("standard"),
    maxInstallations: integer("max_installations"),
    maxUsers: integer("max_users"),
    subscriptionDays: integer("subscription_days"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("registration_tokens_hash_unique").on(t.tokenHash)],
);

export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    // SHA-256 of the caller's credential, so two callers never share a key space.
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: text("status", { enum: ["in_progress", "completed"] }).notNull(),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/** Operators' per-tier changes to the default rate limits (packages/contracts rate-limits.ts). */
export const rateLimitOverrides = sqliteTable(
  "rate_limit_overrides",
  {
    tier: text("tier").notNull(),
    name: text("name").notNull(),
    limit: integer("limit").notNull(),
    windowSeconds: integer("window_seconds").notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tier, t.name] })],
);

// ---- update delivery (electron-updater) -----------------------------------------------------------

/** Release tracks. A channel also receives its parent's releases (beta → stable, alpha → beta). */
export const updateChannels = sqliteTable("update_channels", {
  name: text("name").primaryKey(),
  description: text("description"),
  parent: text("parent"),
  createdAt: createdAt(),
});

export const releases = sqliteTable(
  "releases",
  {
    id: text("id").primaryKey(),
    channel: text("channel")
      .notNull()
      .references(() => updateChannels.name),
    version: text("version").notNull(),
    name: text("name"),
    notes: text("notes"),
    releaseDate: integer("release_date", { mode: "timestamp_ms" }),
    minimumVersion: text("minimum_version"),
    mandatory: integer("mandatory", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: ["draft", "published", "yanked"] })
      .notNull()
      .default("draft"),
    // Staged rollout: `rollout_percent` at `rollout_started_at`, ramping linearly to 100 over
    // `rollout_ramp_seconds` when set. Pausing stores the percentage reached (and the ramp left);
    // halted serves everyone the previous release.
    rolloutPercent: real("rollout_percent").notNull().default(100),
    rolloutRampSeconds: integer("rollout_ramp_seconds"),
    rolloutState: text("rollout_state", { enum: ["active", "paused", "halted"] })
      .notNull()
      .default("active"),
    rolloutStartedAt: integer("rollout_started_at", { mode: "timestamp_ms" }),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }),
    yankedAt: integer("yanked_at", { mode: "timestamp_ms" }),
    yankedReason: text("yanked_reason"),
    // Automatic halt by release health: the rollout halts when the crash-free sessions rate (percent)
    // falls below `health_halt_below`, once `health_min_sessions` sessions were seen; null: never.
    healthHaltBelow: real("health_halt_below"),
    healthMinSessions: integer("health_min_sessions").notNull().default(100),
    haltedByHealthAt: integer("halted_by_health_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("releases_channel_version_unique").on(t.channel, t.version),
    index("releases_status_channel_idx").on(t.status, t.channel),
  ],
);

/** The files a release declares (from electron-builder's channel files) and their upload state. */
export const releaseFiles = sqliteTable(
  "release_files",
  {
    releaseId: text("release_id")
      .notNull()
      .references(() => releases.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // The channel file it is listed in: win (latest.yml), mac, linux, linux-arm64, linux-armv7l.
    platform: text("platform").notNull(),
    kind: text("kind", { enum: ["artifact", "blockmap"] }).notNull(),
    size: integer("size").notNull(),
    sha512: text("sha512").notNull(),
    blockMapSize: integer("block_map_size"),
    r2Key: text("r2_key").notNull(),
    uploadedAt: integer("uploaded_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.releaseId, t.name] }), index("release_files_name_idx").on(t.name)],
);

/** Channels a company may receive besides its own `update_channel`. */
export const companyUpdateAccess = sqliteTable(
  "company_update_access",
  {
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    channel: text("channel")
      .notNull()
      .references(() => updateChannels.name, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.channel] })],
);

/** Update checks and downloads per company, release and UTC day, written in batches by CompanyHub. */
export const updateStats = sqliteTable(
  "update_stats",
  {
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    releaseId: text("release_id")
      .notNull()
      .references(() => releases.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    checks: integer("checks").notNull().default(0),
    // Full artifact downloads; differential downloads show up as ranged requests.
    downloads: integer("downloads").notNull().default(0),
    rangeRequests: integer("range_requests").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.releaseId, t.day] }),
    index("update_stats_release_idx").on(t.releaseId, t.day),
  ],
);

/**
 * Mail the API would send (verification, password reset, invitations), kept when MAIL_MODE is
 * `outbox` — local development and tests, where nothing reaches the network.
 */
export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: text("id").primaryKey(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("mail_outbox_to_idx").on(t.to, t.id)],
);

/** A company's keys for server-to-server calls: shown once, stored as SHA-256, scoped permissions. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // The first characters of the key, so people can tell their keys apart.
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    permissions: text("permissions", { mode: "json" }).$type<Record<string, string[]>>().notNull(),
    createdBy: text("created_by"),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    // Null: the key works until revoked.
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_keys_hash_unique").on(t.keyHash),
    index("api_keys_company_idx").on(t.companyId, t.id),
  ],
);

/**
 * Queue messages that failed every retry (the dead-letter queues' consumer writes them here), kept
 * for operators to inspect and replay.
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    queue: text("queue").notNull(),
    messageId: text("message_id").notNull(),
    companyId: text("company_id"),
    body: text("body", { mode: "json" }).notNull(),
    attempts: integer("attempts").notNull(),
    createdAt: createdAt(),
    // pending until an operator replays it onto its original queue or discards it.
    state: text("state", { enum: ["pending", "replayed", "discarded"] })
      .notNull()
      .default("pending"),
    resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
    resolvedBy: text("resolved_by"),
  },
  (t) => [
    uniqueIndex("dead_letters_queue_message_unique").on(t.queue, t.messageId),
    index("dead_letters_created_at_idx").on(t.createdAt),
  ],
);

/**
 * Verified inbound webhooks, one row per (provider, event id): the insert is what makes a replay a
 * no-op. The event id is taken from signed content only (an unsigned header could be changed by
 * whoever replays a captured request). The row holds the verified body and its processing state in
 * one write, so an event is never "seen" without being kept: received (stored) → queued (on
 * `nexus-events`) → processed, or failed once the sweeper's retries are spent.
 */
export const inboundWebhookEvents = sqliteTable(
  "inbound_webhook_events",
  {
    id: text("id").primaryKey(),
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    /** The sender's own, unsigned request id (X-GitHub-Delivery, Twilio's idempotency token), for operators. */
    senderEventId: text("sender_event_id"),
    eventType: text("event_type"),
    payload: text("payload").notNull(),
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
    state: text("state", { enum: ["received", "queued", "processed", "failed"] })
      .notNull()
      .default("received"),
    /** Times the event was put on the queue (receipt, sender retries, the sweeper, operators). */
    attempts: integer("attempts").notNull().default(0),
    /** When the sweeper may queue it again if it is still not processed. */
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    processedAt: integer("processed_at", { mode: "timestamp_ms" }),
    outcome: text("outcome"),
  },
  (t) => [
    uniqueIndex("inbound_webhook_events_provider_event_unique").on(t.provider, t.eventId),
    index("inbound_webhook_events_received_idx").on(t.receivedAt),
    index("inbound_webhook_events_due_idx").on(t.state, t.nextAttemptAt),
  ],
);

/** A company's subscriptions to our events. Secrets are sealed with the company's key. */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    eventTypes: text("event_types", { mode: "json" }).$type<string[]>().notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    disabledReason: text("disabled_reason"),
    // Set by the first failed attempt after a success; an endpoint failing for days is disabled.
    failingSince: integer("failing_since", { mode: "timestamp_ms" }),
    secretPrefix: text("secret_prefix").notNull(),
    encryptedSecret: text("encrypted_secret").notNull(),
    // During a rotation's overlap deliveries carry a signature with the previous secret too.
    previousEncryptedSecret: text("previous_encrypted_secret"),
    previousSecretExpiresAt: integer("previous_secret_expires_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("webhook_endpoints_company_idx").on(t.companyId)],
);

/**
 * The outbox: an event row is written in the same batch as the change it reports, then fanned out to
 * endpoints by workers/consumers. `dispatched_at` stays null until the fan-out ran, so a lost queue
 * message is found and sent again by the sweeper. `company_id` null = a platform event (releases)
 * that goes to every company receiving `data.channel`.
 */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id"),
    type: text("type").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    // For platform events: the channels whose receivers get it (computed when it happened).
    channels: text("channels", { mode: "json" }).$type<string[]>(),
    // For test sends: the one endpoint it goes to.
    endpointId: text("endpoint_id"),
    createdAt: createdAt(),
    dispatchedAt: integer("dispatched_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("webhook_events_undispatched_idx").on(t.dispatchedAt, t.createdAt),
    index("webhook_events_created_at_idx").on(t.createdAt),
  ],
);

/** One event to one endpoint. (event, endpoint) is unique, so a repeated fan-out adds nothing. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").notNull(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    // The exact JSON body sent on every attempt (the signature covers these bytes).
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastLatencyMs: integer("last_latency_ms"),
    lastError: text("last_error"),
    // When the queue will make the next attempt of a pending delivery that failed (backoff).
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint_unique").on(t.eventId, t.endpointId),
    index("webhook_deliveries_company_idx").on(t.companyId, t.id),
    index("webhook_deliveries_created_at_idx").on(t.createdAt),
  ],
);

/** The delivery log: every attempt with its outcome. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    attemptedAt: integer("attempted_at", { mode: "timestamp_ms" }).notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
    responseBody: text("response_body"),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);

// ---- app error tracking (Sentry protocol) ---------------------------------------------------------

/**
 * A company's error-tracking projects: one DSN each. The id is numeric because Sentry's SDKs refuse
 * a DSN whose project id is not digits. The public key is public by design (it ships inside every
 * app), so it is kept as is and compared in constant time; revoking a project refuses its DSN.
 */
export const errorProjects = sqliteTable(
  "error_projects",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // desktop: the Electron app whose releases this system serves (its sessions feed release health
    // and the rollout's automatic halt); mobile and other: tracked, never tied to a release here.
    app: text("app", { enum: ["desktop", "mobile", "other"] }).notNull(),
    platform: text("platform").notNull(),
    publicKey: text("public_key").notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("error_projects_public_key_unique").on(t.publicKey),
    index("error_projects_company_idx").on(t.companyId),
  ],
);

/** Ingest counts per project and UTC day: what the consumer accepted and what the API refused. */
export const errorIngestStats = sqliteTable(
  "error_ingest_stats",
  {
    projectId: integer("project_id")
      .notNull()
      .references(() => errorProjects.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    events: integer("events").notNull().default(0),
    sessions: integer("sessions").notNull().default(0),
    malformed: integer("malformed").notNull().default(0),
    rateLimited: integer("rate_limited").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.day] })],
);

/**
 * Release health of the desktop app across every company, per version (the `version` of `releases`):
 * the sums of the tenants' session counts, kept by the error consumer as it applies sessions, and
 * read by the automatic halt and the operator's releases screen.
 */
export const releaseHealth = sqliteTable("release_health", {
  version: text("version").primaryKey(),
  sessions: integer("sessions").notNull().default(0),
  erroredSessions: integer("errored_sessions").notNull().default(0),
  crashedSessions: integer("crashed_sessions").notNull().default(0),
  abnormalSessions: integer("abnormal_sessions").notNull().default(0),
  users: integer("users").notNull().default(0),
  crashedUsers: integer("crashed_users").notNull().default(0),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * Which company a provider's message id belongs to: delivery webhooks (Resend, Twilio) are sent to
 * one platform endpoint, and this is how they find the tenant database holding the message.
 */
export const notificationProviderRefs = sqliteTable(
  "notification_provider_refs",
  {
    provider: text("provider").notNull(),
    providerMessageId: text("provider_message_id").notNull(),
    companyId: text("company_id").notNull(),
    messageId: text("message_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.providerMessageId] }),
    index("notification_provider_refs_created_idx").on(t.createdAt),
  ],
);

/**
 * Alerts for platform operators (tenant pool low, dead letters growing, a company's webhooks failing),
 * sent by the notification service to OPERATOR_ALERT_EMAILS and listed in the operators' console.
 * `dedupe_key` keeps one open alert per condition, so a condition seen every minute alerts once.
 */
export const operatorAlerts = sqliteTable(
  "operator_alerts",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    companyId: text("company_id"),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    status: text("status", { enum: ["open", "resolved"] })
      .notNull()
      .default("open"),
    deliveredTo: text("delivered_to", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
    resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("operator_alerts_open_unique").on(t.dedupeKey).where(sql`status = 'open'`),
    index("operator_alerts_created_idx").on(t.createdAt),
  ],
);
