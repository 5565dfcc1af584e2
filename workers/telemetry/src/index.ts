// workers/telemetry: the queue consumers. `nexus-telemetry` rolls samples up into each company's
// tenant database; the dead-letter queue keeps what failed every retry in the central database.

import { keepDeadLetters } from "./dead-letters.ts";
import { purgeOldTelemetry } from "./retention.ts";
import { consumeTelemetry, type TelemetryEnv } from "./telemetry-consumer.ts";

export interface Env extends TelemetryEnv {
  TELEMETRY_MINUTE_RETENTION_DAYS?: string;
}

const TELEMETRY_QUEUE = /^nexus-telemetry(-[a-z0-9]+)?$/;

export default {
  async queue(batch, env) {
    if (batch.queue.endsWith("-dlq")) return keepDeadLetters(batch, env.CENTRAL_DB);
    if (TELEMETRY_QUEUE.test(batch.queue)) return consumeTelemetry(batch, env);
    // A queue this worker was bound to by mistake: retry so nothing is lost while it is fixed.
    console.error(JSON.stringify({ level: "error", event: "unknown_queue", queue: batch.queue }));
    batch.retryAll();
  },
  async scheduled(_controller, env) {
    const result = await purgeOldTelemetry(env);
    console.log(JSON.stringify({ level: "info", event: "telemetry_purged", ...result }));
  },
} satisfies ExportedHandler<Env>;
