// The `nexus-errors` queue's consumer: each message is one envelope the API accepted (events and
// sessions of one project). Messages are grouped per company (one tenant database each); a company's
// source maps are looked up and parsed once for the batch, and what its databases hold already is read
// in one round trip. Then each message is applied on its own — its central writes (counts, release
// health, webhook outbox) and its tenant writes (issues, events, sessions) are each one D1 batch,
// marked with the message's id — so a message that fails holds back only itself and its retry
// redoes only the part that did not commit. Last, the desktop releases whose sessions changed are
// checked for the automatic halt, and the outbox events are announced.
import { type ErrorsQueueMessage, ErrorsQueueMessageSchema } from "@nexus/contracts";
import { errorText, openTenantDatabase } from "@nexus/db";
import { type CompanyMessage, checkWith, perCompany } from "../company-batches.ts";
import { batchAll, type Orm, orm } from "../db.ts";
import { retryDelaySeconds } from "../telemetry/consumer.ts";
import { haltUnhealthyReleases } from "./auto-halt.ts";
import {
  announce,
  centralStatements,
  healthDeltas,
  isCentralAppliedBefore,
  issueEvents,
  readCentralMarks,
} from "./central-writes.ts";
import { planIssues } from "./issues.ts";
import { eventsOf, type PreparedMessage, prepareMessage } from "./prepare.ts";
import { releaseVersion } from "./sessions.ts";
import { SourceMapCache } from "./symbolicate.ts";
import {
  eventKey,
  isAppliedBefore,
  messageMark,
  readSnapshot,
  sessionUserKey,
  type TenantSnapshot,
  tenantStatements,
} from "./tenant-writes.ts";

export interface ErrorsEnv {
  CENTRAL_DB: D1Database;
  /** Source maps (symbolication) and the raw envelopes. */
  ERRORS: R2Bucket;
  /** Where webhook events (new and regressed issues, halted rollouts) are announced. */
  EVENTS_QUEUE: Queue;
  /** Seconds before a failed message's first retry (the telemetry consumer's setting, shared). */
  TELEMETRY_RETRY_BASE_SECONDS?: string;
}

type Parsed = CompanyMessage<ErrorsQueueMessage>;

function log(level: "warn" | "error", event: string, fields: Record<string, unknown>) {
  console[level](JSON.stringify({ level, event, ...fields }));
}

const retry = (env: ErrorsEnv, message: Message) =>
  message.retry({ delaySeconds: retryDelaySeconds(env, message.attempts) });

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface CompanyRun {
  env: ErrorsEnv;
  companyId: string;
  tenant: Orm;
  central: Orm;
  snapshot: TenantSnapshot;
  centralDone: Set<string>;
  /** Outbox events to announce once the company's messages are applied. */
  announced: string[];
  /** Versions of the desktop app whose health changed (checked for the automatic halt). */
  versions: Set<string>;
}

/** Applies one message: central writes first (unless made before), then the tenant's. */
async function applyMessage(run: CompanyRun, item: PreparedMessage): Promise<void> {
  const { body, message } = item;
  const { snapshot } = run;
  const now = Date.now();
  const fresh = item.events.filter(
    (event) => !snapshot.events.has(eventKey(body.project_id, event.data.event_id)),
  );
  const issues = planIssues(body.project_id, body.received_at, fresh, snapshot.issues, now);
  const users = item.sessions.users.map((user) => {
    const known = snapshot.sessionUsers.get(sessionUserKey(body.project_id, user.release, user.did));
    return {
      release: user.release,
      isNew: known === undefined,
      newlyCrashed: user.crashed && known !== true,
    };
  });
  const desktop = body.app === "desktop";
  if (desktop) for (const bucket of item.sessions.buckets) run.versions.add(releaseVersion(bucket.release));

  if (!run.centralDone.has(message.id)) {
    const outbox = await issueEvents(run.companyId, body.project_id, issues.created, issues.regressed);
    try {
      await batchAll(
        run.central,
        centralStatements(
          run.central,
          {
            messageId: message.id,
            companyId: run.companyId,
            projectId: body.project_id,
            day: dayOf(body.received_at),
            events: fresh.length,
            sessions: item.sessions.received,
            health: desktop ? healthDeltas(item.sessions.buckets, users) : [],
            outbox,
          },
          now,
        ),
      );
      run.announced.push(...outbox.map((event) => event.id));
      run.centralDone.add(message.id);
    } catch (error) {
      // Made by an earlier delivery whose tenant batch then failed: go on with the tenant batch.
      if (!isCentralAppliedBefore(error)) throw error;
    }
  }

  if (!snapshot.applied.has(messageMark(message.id))) {
    try {
      await batchAll(run.tenant, tenantStatements(run.tenant, item, fresh, issues.rows));
    } catch (error) {
      if (!isAppliedBefore(error)) throw error;
    }
  }

  // What later messages of the batch must see as stored.
  snapshot.applied.add(messageMark(message.id));
  for (const event of fresh) snapshot.events.add(eventKey(body.project_id, event.data.event_id));
  for (const row of issues.rows) {
    const known = snapshot.issues.get(row.id);
    if (!known || row.regressed_at !== null) {
      snapshot.issues.set(row.id, { status: "unresolved", resolvedInRelease: null, resolvedAt: null });
    }
  }
  for (const user of item.sessions.users) {
    const key = sessionUserKey(body.project_id, user.release, user.did);
    snapshot.sessionUsers.set(key, user.crashed || snapshot.sessionUsers.get(key) === true);
  }
}

async function processCompany(env: ErrorsEnv, companyId: string, items: Parsed[]): Promise<void> {
  const tenant = orm(await openTenantDatabase(env, env.CENTRAL_DB, companyId));
  const cache = new SourceMapCache(tenant, env.ERRORS);
  await cache.lookUp(eventsOf(items.map((item) => item.body)));
  const prepared: PreparedMessage[] = [];
  for (const item of items) prepared.push(await prepareMessage(cache, item.message, item.body));
  const central = orm(env.CENTRAL_DB);
  const [snapshot, centralDone] = await Promise.all([
    readSnapshot(tenant, prepared),
    readCentralMarks(
      central,
      items.map((item) => item.message.id),
    ),
  ]);
  const run: CompanyRun = {
    env,
    companyId,
    tenant,
    central,
    snapshot,
    centralDone,
    announced: [],
    versions: new Set(),
  };
  const failed = new Set<Message>();
  // In order, so each message sees what the ones before it stored (its new issue is not new twice).
  for (const item of prepared) {
    try {
      await applyMessage(run, item);
    } catch (error) {
      log("error", "errors_message_failed", {
        companyId,
        id: item.message.id,
        attempts: item.message.attempts,
        error: errorText(error),
      });
      failed.add(item.message);
    }
  }
  try {
    // Also for redeliveries: one whose halt check failed is redelivered to finish it.
    run.announced.push(...(await haltUnhealthyReleases(env.CENTRAL_DB, [...run.versions])));
  } catch (error) {
    log("error", "errors_auto_halt_failed", { companyId, error: errorText(error) });
    for (const item of prepared) if (item.body.app === "desktop") failed.add(item.message);
  }
  await announce(env.EVENTS_QUEUE, run.announced);
  for (const item of items) {
    if (failed.has(item.message)) retry(env, item.message);
    else item.message.ack();
  }
}

export async function consumeErrors(batch: MessageBatch, env: ErrorsEnv): Promise<void> {
  await perCompany(batch, {
    name: "errors",
    check: (body) => checkWith(ErrorsQueueMessageSchema, body),
    retry: (message) => retry(env, message),
    work: (companyId, items) => processCompany(env, companyId, items),
  });
}
