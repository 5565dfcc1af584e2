import { createApp } from "./app.ts";
import { handleNotificationsBatch } from "./queues/notifications.ts";
import { purgeDocuments } from "./services/documents/purge.ts";
import { purgeExpiredIdempotencyKeys } from "./services/idempotency.ts";
import { purgeLlmContent } from "./services/llm/retention.ts";
import { checkOperatorAlerts } from "./services/operator-alerts.ts";
import { purgeSearchQueries } from "./services/search/query-log-retention.ts";

const OPERATOR_ALERT_CRON = "*/5 * * * *";

const app = createApp();

export default {
  fetch: app.fetch,
  // wrangler.toml [triggers]: operator alert checks every five minutes, housekeeping once a day.
  async scheduled(controller, env) {
    if (controller.cron === OPERATOR_ALERT_CRON) {
      const raised = await checkOperatorAlerts(env);
      if (raised.length > 0) {
        console.log(JSON.stringify({ level: "info", event: "operator_alerts_raised", count: raised.length }));
      }
      return;
    }
    const purged = await purgeExpiredIdempotencyKeys(env.CENTRAL_DB);
    console.log(JSON.stringify({ level: "info", event: "idempotency_keys_purged", count: purged }));
    const documents = await purgeDocuments(env);
    console.log(JSON.stringify({ level: "info", event: "documents_purged", ...documents }));
    const llm = await purgeLlmContent(env);
    console.log(JSON.stringify({ level: "info", event: "llm_content_purged", ...llm }));
    const searches = await purgeSearchQueries(env);
    console.log(JSON.stringify({ level: "info", event: "search_queries_purged", ...searches }));
  },
  // The API consumes one queue, nexus-notifications (wrangler.toml [[queues.consumers]]).
  async queue(batch, env) {
    await handleNotificationsBatch(batch, env);
  },
} satisfies ExportedHandler<Env>;

export { CompanyHub } from "./durable-objects/company-hub.ts";
export { RateLimiter } from "./durable-objects/rate-limiter.ts";
