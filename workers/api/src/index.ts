import { createApp } from "./app.ts";
import { purgeDocuments } from "./services/documents/purge.ts";
import { purgeExpiredIdempotencyKeys } from "./services/idempotency.ts";
import { purgeLlmContent } from "./services/llm/retention.ts";
import { purgeSearchQueries } from "./services/search/query-log-retention.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  // Daily housekeeping (wrangler.toml [triggers]).
  async scheduled(_controller, env) {
    const purged = await purgeExpiredIdempotencyKeys(env.CENTRAL_DB);
    console.log(JSON.stringify({ level: "info", event: "idempotency_keys_purged", count: purged }));
    const documents = await purgeDocuments(env);
    console.log(JSON.stringify({ level: "info", event: "documents_purged", ...documents }));
    const llm = await purgeLlmContent(env);
    console.log(JSON.stringify({ level: "info", event: "llm_content_purged", ...llm }));
    const searches = await purgeSearchQueries(env);
    console.log(JSON.stringify({ level: "info", event: "search_queries_purged", ...searches }));
  },
} satisfies ExportedHandler<Env>;

export { CompanyHub } from "./durable-objects/company-hub.ts";
export { RateLimiter } from "./durable-objects/rate-limiter.ts";
