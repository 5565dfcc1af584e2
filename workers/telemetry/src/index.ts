// workers/telemetry: the queue consumers. `nexus-telemetry` rolls samples up into each company's
// tenant database; `nexus-events` delivers outbound webhooks and acts on inbound ones; the
// dead-letter queues keep what failed every retry in the central database.

import { keepDeadLetters } from "./dead-letters.ts";
import { consumeEvents, type EventsEnv } from "./events-consumer.ts";
import { sweepInboundWebhooks } from "./inbound-sweeper.ts";
import { purgeOldTelemetry } from "./retention.ts";
import { consumeTelemetry, type TelemetryEnv } from "./telemetry-consumer.ts";
import { purgeOldWebhooks, sweepWebhooks } from "./webhook-sweeper.ts";

export interface Env extends TelemetryEnv, EventsEnv {
  TELEMETRY_MINUTE_RETENTION_DAYS?: string;
}

const TELEMETRY_QUEUE = /^nexus-telemetry(-[a-z0-9]+)?$/;
const EVENTS_QUEUE = /^nexus-events(-[a-z0-9]+)?$/;
/** The frequent cron (wrangler.toml); the other one is the daily housekeeping. */
const SWEEP_CRON = "*/5 * * * *";

export default {
  async queue(batch, env) {
    if (batch.queue.endsWith("-dlq")) return keepDeadLetters(batch, env.CENTRAL_DB);
    if (TELEMETRY_QUEUE.test(batch.queue)) return consumeTelemetry(batch, env);
    if (EVENTS_QUEUE.test(batch.queue)) return consumeEvents(batch, env);
    // A queue this worker was bound to by mistake: retry so nothing is lost while it is fixed.
    console.error(JSON.stringify({ level: "error", event: "unknown_queue", queue: batch.queue }));
    batch.retryAll();
  },
  async scheduled(controller, env) {
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
  },
} satisfies ExportedHandler<Env>;
