// workers/consumers: the queue consumers, one folder per queue. `nexus-telemetry` (telemetry/) rolls
// samples up into each company's tenant database; `nexus-events` (events/) fans outbound webhooks out,
// delivers them and acts on inbound ones (Stripe billing); the dead-letter queues (dead-letters/)
// keep what failed every retry in the central database. The crons sweep and purge for both.

import { keepDeadLetters } from "./dead-letters/consumer.ts";
import { type Env, getConfig } from "./env.ts";
import { consumeErrors } from "./errors/consumer.ts";
import { purgeOldErrors } from "./errors/retention.ts";
import { consumeEvents } from "./events/consumer.ts";
import { sweepInboundWebhooks } from "./events/inbound-sweeper.ts";
import { purgeOldWebhooks, sweepWebhooks } from "./events/webhook-sweeper.ts";
import { consumeTelemetry } from "./telemetry/consumer.ts";
import { purgeOldTelemetry } from "./telemetry/retention.ts";

export type { Env } from "./env.ts";

const TELEMETRY_QUEUE = /^nexus-telemetry(-[a-z0-9]+)?$/;
const EVENTS_QUEUE = /^nexus-events(-[a-z0-9]+)?$/;
const ERRORS_QUEUE = /^nexus-errors(-[a-z0-9]+)?$/;
/** The frequent cron (wrangler.toml); the other one is the daily housekeeping. */
const SWEEP_CRON = "*/5 * * * *";

export default {
  async queue(batch, env) {
    // Dead letters need only the central database: kept whatever the settings, never lost to them.
    if (batch.queue.endsWith("-dlq")) return keepDeadLetters(batch, env.CENTRAL_DB);
    // A bad setting fails the batch before anything is written; the queue retries it once fixed.
    getConfig(env);
    if (TELEMETRY_QUEUE.test(batch.queue)) return consumeTelemetry(batch, env);
    if (EVENTS_QUEUE.test(batch.queue)) return consumeEvents(batch, env);
    if (ERRORS_QUEUE.test(batch.queue)) return consumeErrors(batch, env);
    // A queue this worker was bound to by mistake: retry so nothing is lost while it is fixed.
    console.error(JSON.stringify({ level: "error", event: "unknown_queue", queue: batch.queue }));
    batch.retryAll();
  },
  async scheduled(controller, env) {
    const config = getConfig(env);
    if (controller.cron === SWEEP_CRON) {
      // Independent sweeps: one failing (e.g. the queue refusing a batch) must not hold back the other.
      const [outbound, inbound] = await Promise.allSettled([
        sweepWebhooks(env.CENTRAL_DB, env.EVENTS_QUEUE),
        sweepInboundWebhooks(env.CENTRAL_DB, env.EVENTS_QUEUE),
      ]);
      if (outbound.status === "fulfilled" && outbound.value.events + outbound.value.deliveries > 0) {
        console.warn(JSON.stringify({ level: "warn", event: "webhooks_swept", ...outbound.value }));
      }
      if (inbound.status === "fulfilled" && inbound.value.requeued + inbound.value.failed > 0) {
        console.warn(JSON.stringify({ level: "warn", event: "inbound_webhooks_swept", ...inbound.value }));
      }
      for (const sweep of [outbound, inbound]) if (sweep.status === "rejected") throw sweep.reason;
      return;
    }
    const result = await purgeOldTelemetry(env);
    await purgeOldWebhooks(env.CENTRAL_DB);
    console.log(JSON.stringify({ level: "info", event: "telemetry_purged", ...result }));
    const errors = await purgeOldErrors(env, {
      eventDays: config.ERROR_EVENT_RETENTION_DAYS,
      rawDays: config.ERROR_RAW_RETENTION_DAYS,
    });
    console.log(JSON.stringify({ level: "info", event: "errors_purged", ...errors }));
  },
} satisfies ExportedHandler<Env>;
