// The statements that apply telemetry messages to a tenant database, all in one D1 `batch` (one
// transaction): the messages' idempotency keys are inserted first, so a key seen before fails the
// whole batch and nothing is counted twice. Rows travel as one JSON parameter per statement
// (json_each), which keeps statements small and under D1's 100-parameter limit.
// The rows come from json_each through raw SQL fragments (drizzle's `sql`) inside drizzle's
// insert … select and update … from: drizzle's values() binds a parameter per column and row, and a
// plain update sets the same values on every row it matches.
import type { TelemetryQueueMessage } from "@nexus/contracts";
import {
  appUsageDaily,
  appVersionDays,
  machineMetrics,
  machines,
  telemetryBatches,
  telemetryDay,
  telemetryHour,
  telemetryMinute,
} from "@nexus/db/tenant";
import { sql } from "drizzle-orm";
import type { Orm, Statement } from "../db.ts";
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

function chunked<T>(rows: T[], build: (json: string) => Statement): Statement[] {
  const statements: Statement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    statements.push(build(JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT))));
  }
  return statements;
}

/** Only rows for machines that exist: a machine deleted meanwhile gets nothing (and no FK error). */
const forExistingMachines = (json: string) =>
  sql`FROM json_each(${json}) AS j WHERE EXISTS (SELECT 1 FROM ${machines} WHERE ${machines.id} = j.value ->> 'machine_id')`;

const upsertRollup = (db: Orm, table: typeof telemetryMinute) => (json: string) =>
  db
    .insert(table)
    .select(
      sql`SELECT j.value ->> 'machine_id', j.value ->> 'metric', j.value ->> 'bucket', j.value ->> 'count',
              j.value ->> 'sum', j.value ->> 'min', j.value ->> 'max', j.value ->> 'last', j.value ->> 'last_ts'
          ${forExistingMachines(json)}`,
    )
    .onConflictDoUpdate({
      target: [table.machineId, table.metric, table.bucket],
      set: {
        count: sql`${table.count} + excluded.count`,
        sum: sql`${table.sum} + excluded.sum`,
        min: sql`min(${table.min}, excluded.min)`,
        max: sql`max(${table.max}, excluded.max)`,
        last: sql`CASE WHEN excluded.last_ts >= ${table.lastTs} THEN excluded.last ELSE ${table.last} END`,
        lastTs: sql`max(${table.lastTs}, excluded.last_ts)`,
      },
    });

export interface Plan {
  statements: Statement[];
  /** Machines whose last values may have changed (their health is recomputed). */
  touchedMachines: string[];
}

/**
 * Statements for fresh (never applied) messages. `existing` says which machine ids exist now;
 * samples for others are dropped and counted as such in telemetry_batches.
 */
export function planWrites(
  db: Orm,
  samplesMessages: SamplesMessage[],
  versionsMessages: VersionsMessage[],
  existing: Set<string>,
): Plan {
  const samples: Sample[] = [];
  const keys: { key: string; samples: number; usage: number; dropped: number }[] = [];
  for (const message of samplesMessages) {
    const kept = message.samples.filter((sample) => existing.has(sample.machine_id));
    for (const sample of kept) samples.push(sample);
    keys.push({
      key: message.key,
      samples: kept.length,
      usage: message.usage.length,
      dropped: message.samples.length - kept.length,
    });
  }
  // The keys go first: one that is already there fails the batch (a UNIQUE error) before anything
  // else is counted. One statement for all of them, not one per message.
  const processedAt = Date.now();
  const statements: Statement[] = chunked(keys, (json) =>
    db.insert(telemetryBatches).select(
      sql`SELECT j.value ->> 'key', j.value ->> 'samples', j.value ->> 'usage', j.value ->> 'dropped', ${processedAt}
            FROM json_each(${json}) AS j`,
    ),
  );

  const minutes: Aggregate[] = rollUpSamples(samples);
  statements.push(...chunked(minutes, upsertRollup(db, telemetryMinute)));
  statements.push(...chunked(coarsen(minutes, HOUR_MS), upsertRollup(db, telemetryHour)));
  statements.push(...chunked(coarsen(minutes, DAY_MS), upsertRollup(db, telemetryDay)));

  const last = lastValues(samples);
  statements.push(
    ...chunked(last, (json) =>
      db
        .insert(machineMetrics)
        .select(
          sql`SELECT j.value ->> 'machine_id', j.value ->> 'metric', j.value ->> 'value', j.value ->> 'ts'
              ${forExistingMachines(json)}`,
        )
        .onConflictDoUpdate({
          target: [machineMetrics.machineId, machineMetrics.metric],
          set: { value: sql`excluded.value`, ts: sql`excluded.ts` },
          setWhere: sql`excluded.ts >= ${machineMetrics.ts}`,
        }),
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
          .update(machines)
          .set({ lastSampleAt: sql`max(coalesce(${machines.lastSampleAt}, 0), j.value ->> 'ts')` })
          .from(sql`json_each(${json}) AS j`)
          .where(sql`${machines.id} = j.value ->> 'id'`),
    ),
  );

  statements.push(...usageStatements(db, samplesMessages));
  statements.push(...versionStatements(db, samplesMessages, versionsMessages));
  return { statements, touchedMachines: [...newest.keys()] };
}

function usageStatements(db: Orm, messages: SamplesMessage[]): Statement[] {
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
      .insert(appUsageDaily)
      .select(
        // `WHERE true` tells SQLite's parser the ON CONFLICT that follows is the upsert's.
        sql`SELECT j.value ->> 'day', j.value ->> 'event', j.value ->> 'name', j.value ->> 'app_version', j.value ->> 'count'
            FROM json_each(${json}) AS j WHERE true`,
      )
      .onConflictDoUpdate({
        target: [appUsageDaily.day, appUsageDaily.event, appUsageDaily.name, appUsageDaily.appVersion],
        set: { count: sql`${appUsageDaily.count} + excluded.count` },
      }),
  );
}

/** Which version each installation ran per day: from heartbeats (the hub) and from usage events. */
function versionStatements(
  db: Orm,
  samplesMessages: SamplesMessage[],
  versionsMessages: VersionsMessage[],
): Statement[] {
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
      .insert(appVersionDays)
      .select(
        sql`SELECT j.value ->> 'day', j.value ->> 'installation_id', j.value ->> 'app_version'
            FROM json_each(${json}) AS j WHERE true`,
      )
      .onConflictDoUpdate({
        target: [appVersionDays.day, appVersionDays.installationId],
        set: { appVersion: sql`excluded.app_version` },
      }),
  );
}
