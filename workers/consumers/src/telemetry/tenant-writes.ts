// The statements that apply telemetry messages to a tenant database, all in one D1 `batch` (one
// transaction): the messages' idempotency keys are inserted first, so a key seen before fails the
// whole batch and nothing is counted twice. Rows travel as one JSON parameter per statement
// (json_each), which keeps statements small and under D1's 100-parameter limit.
import type { TelemetryQueueMessage } from "@nexus/contracts";
import {
  type Aggregate,
  coarsen,
  DAY_MS,
  HOUR_MS,
  lastValues,
  rollUpSamples,
  type Sample,
} from "./rollup.ts";

export type SamplesMessage = Extract<TelemetryQueueMessage, { kind: "samples" }>;
export type VersionsMessage = Extract<TelemetryQueueMessage, { kind: "versions" }>;

/** Rows per JSON parameter: keeps each statement's work well inside D1's per-query limits. */
const ROWS_PER_STATEMENT = 2000;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function chunked<T>(rows: T[], build: (json: string) => D1PreparedStatement): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    statements.push(build(JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT))));
  }
  return statements;
}

// Roll-ups only for machines that exist: a machine deleted meanwhile gets nothing (and no FK error).
const upsertRollup = (db: D1Database, table: string) => (json: string) =>
  db
    .prepare(
      `INSERT INTO ${table} (machine_id, metric, bucket, count, sum, min, max, last, last_ts)
       SELECT j.value ->> 'machine_id', j.value ->> 'metric', j.value ->> 'bucket', j.value ->> 'count',
              j.value ->> 'sum', j.value ->> 'min', j.value ->> 'max', j.value ->> 'last', j.value ->> 'last_ts'
       FROM json_each(?1) AS j WHERE EXISTS (SELECT 1 FROM machines WHERE id = j.value ->> 'machine_id')
       ON CONFLICT (machine_id, metric, bucket) DO UPDATE SET
         count = ${table}.count + excluded.count,
         sum = ${table}.sum + excluded.sum,
         min = min(${table}.min, excluded.min),
         max = max(${table}.max, excluded.max),
         last = CASE WHEN excluded.last_ts >= ${table}.last_ts THEN excluded.last ELSE ${table}.last END,
         last_ts = max(${table}.last_ts, excluded.last_ts)`,
    )
    .bind(json);

export interface Plan {
  statements: D1PreparedStatement[];
  /** Machines whose last values may have changed (their health is recomputed). */
  touchedMachines: string[];
}

/**
 * Statements for fresh (never applied) messages. `existing` says which machine ids exist now;
 * samples for others are dropped and counted as such in telemetry_batches.
 */
export function planWrites(
  db: D1Database,
  samplesMessages: SamplesMessage[],
  versionsMessages: VersionsMessage[],
  existing: Set<string>,
): Plan {
  const statements: D1PreparedStatement[] = [];
  const samples: Sample[] = [];
  for (const message of samplesMessages) {
    const kept = message.samples.filter((sample) => existing.has(sample.machine_id));
    samples.push(...kept);
    statements.push(
      db
        .prepare("INSERT INTO telemetry_batches (key, samples, usage, dropped) VALUES (?, ?, ?, ?)")
        .bind(message.key, kept.length, message.usage.length, message.samples.length - kept.length),
    );
  }

  const minutes: Aggregate[] = rollUpSamples(samples);
  statements.push(...chunked(minutes, upsertRollup(db, "telemetry_minute")));
  statements.push(...chunked(coarsen(minutes, HOUR_MS), upsertRollup(db, "telemetry_hour")));
  statements.push(...chunked(coarsen(minutes, DAY_MS), upsertRollup(db, "telemetry_day")));

  const last = lastValues(samples);
  statements.push(
    ...chunked(last, (json) =>
      db
        .prepare(
          `INSERT INTO machine_metrics (machine_id, metric, value, ts)
           SELECT j.value ->> 'machine_id', j.value ->> 'metric', j.value ->> 'value', j.value ->> 'ts'
           FROM json_each(?1) AS j WHERE EXISTS (SELECT 1 FROM machines WHERE id = j.value ->> 'machine_id')
           ON CONFLICT (machine_id, metric) DO UPDATE SET value = excluded.value, ts = excluded.ts
           WHERE excluded.ts >= machine_metrics.ts`,
        )
        .bind(json),
    ),
  );
  const newest = new Map<string, number>();
  for (const value of last)
    newest.set(value.machine_id, Math.max(newest.get(value.machine_id) ?? 0, value.ts));
  statements.push(
    ...chunked(
      [...newest].map(([id, ts]) => ({ id, ts })),
      (json) =>
        db
          .prepare(
            `UPDATE machines SET last_sample_at = max(coalesce(last_sample_at, 0), j.value ->> 'ts')
           FROM json_each(?1) AS j WHERE machines.id = j.value ->> 'id'`,
          )
          .bind(json),
    ),
  );

  statements.push(...usageStatements(db, samplesMessages));
  statements.push(...versionStatements(db, samplesMessages, versionsMessages));
  return { statements, touchedMachines: [...newest.keys()] };
}

function usageStatements(db: D1Database, messages: SamplesMessage[]): D1PreparedStatement[] {
  const counts = new Map<
    string,
    { day: string; event: string; name: string; app_version: string; count: number }
  >();
  for (const message of messages) {
    for (const event of message.usage) {
      const row = {
        day: day(event.ts),
        event: event.event,
        name: event.name ?? "",
        app_version: event.app_version,
      };
      const key = JSON.stringify(row);
      const existing = counts.get(key);
      if (existing) existing.count += 1;
      else counts.set(key, { ...row, count: 1 });
    }
  }
  return chunked([...counts.values()], (json) =>
    db
      .prepare(
        `INSERT INTO app_usage_daily (day, event, name, app_version, count)
         SELECT j.value ->> 'day', j.value ->> 'event', j.value ->> 'name', j.value ->> 'app_version', j.value ->> 'count'
         FROM json_each(?1) AS j WHERE true
         ON CONFLICT (day, event, name, app_version) DO UPDATE SET count = app_usage_daily.count + excluded.count`,
      )
      .bind(json),
  );
}

/** Which version each installation ran per day: from heartbeats (the hub) and from usage events. */
function versionStatements(
  db: D1Database,
  samplesMessages: SamplesMessage[],
  versionsMessages: VersionsMessage[],
): D1PreparedStatement[] {
  const seen = new Map<string, { day: string; installation_id: string; app_version: string; ts: number }>();
  const note = (dayText: string, installationId: string, appVersion: string, ts: number) => {
    const key = `${dayText}\u0000${installationId}`;
    const existing = seen.get(key);
    if (!existing || ts >= existing.ts)
      seen.set(key, { day: dayText, installation_id: installationId, app_version: appVersion, ts });
  };
  for (const message of samplesMessages) {
    if (!message.installation_id) continue;
    for (const event of message.usage)
      note(day(event.ts), message.installation_id, event.app_version, event.ts);
  }
  for (const message of versionsMessages) {
    const end = Date.parse(`${message.day}T23:59:59.999Z`);
    for (const entry of message.seen) note(message.day, entry.installation_id, entry.app_version, end);
  }
  return chunked([...seen.values()], (json) =>
    db
      .prepare(
        `INSERT INTO app_version_days (day, installation_id, app_version)
         SELECT j.value ->> 'day', j.value ->> 'installation_id', j.value ->> 'app_version' FROM json_each(?1) AS j WHERE true
         ON CONFLICT (day, installation_id) DO UPDATE SET app_version = excluded.app_version`,
      )
      .bind(json),
  );
}
