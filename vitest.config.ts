import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";
import { unstable_readConfig } from "wrangler";
import { generateSecrets } from "./packages/cli/src/commands/secrets.ts";
import {
  handleLlmStandIn,
  LLM_STAND_IN_TEST_ORIGIN,
  llmStandInVars,
} from "./scripts/llm-stand-ins/handler.ts";
import {
  handleNotifyStandIn,
  NOTIFY_STAND_IN_TEST_ORIGIN,
  notifyStandInVars,
  RESEND_STAND_IN_API_KEY,
} from "./scripts/notify-stand-ins/handler.ts";
import { newVapidKeys } from "./scripts/notify-stand-ins/vapid-keys.ts";
import { TEST_WEBHOOK_SECRETS } from "./workers/api/test/webhook-secrets.ts";
import { webhookReceiver } from "./workers/consumers/test/receiver.ts";

// Tests run with wrangler.toml's vars and fresh secrets, whatever a developer's .dev.vars says
// (wrangler would otherwise let it override both, e.g. REGISTRATION_MODE=open).
const configVars = unstable_readConfig({ config: "wrangler.toml" }, { hideWarnings: true }).vars;
const consumersVars = unstable_readConfig(
  { config: "workers/consumers/wrangler.toml" },
  { hideWarnings: true },
).vars;

const llmStandInHost = new URL(LLM_STAND_IN_TEST_ORIGIN).host;
const notifyStandInHost = new URL(NOTIFY_STAND_IN_TEST_ORIGIN).host;

/**
 * The API's outbound fetches: the LLM providers' stand-ins answer for llm-stand-in.test (in Node,
 * with their real wire formats); anything else goes out as it would from workerd. The request is
 * rebuilt because Miniflare's Request is not the global fetch's class, and redirects are left to
 * the worker's own fetch, which sees the 3xx as workerd would. Node's fetch has already decoded a
 * compressed body, so its content-encoding must not reach workerd (which would decode it again).
 */
async function apiOutbound(request: Request): Promise<Response> {
  if (new URL(request.url).host === llmStandInHost) return handleLlmStandIn(request);
  // Resend, Twilio and a Web Push service (scripts/notify-stand-ins), push endpoints included.
  if (new URL(request.url).host === notifyStandInHost) return handleNotifyStandIn(request);
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? await request.arrayBuffer() : null,
    redirect: "manual",
  });
  if (!response.headers.has("content-encoding")) return response;
  const headers = new Headers(response.headers);
  headers.delete("content-encoding");
  headers.delete("content-length");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export default defineConfig(async () => {
  const centralMigrations = await readD1Migrations("migrations/central");
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  ...configVars,
                  ...generateSecrets(),
                  ...TEST_WEBHOOK_SECRETS,
                  // The origin tests call the worker with (workers/api/test/helpers.ts BASE_URL).
                  PUBLIC_URL: "http://nexus.test",
                  TEST_CENTRAL_MIGRATIONS: centralMigrations,
                  // Every LLM provider at its stand-in (apiOutbound), with platform keys it accepts.
                  ...llmStandInVars(LLM_STAND_IN_TEST_ORIGIN),
                  // Notifications: Resend and Twilio at their stand-ins, a fresh VAPID key, retries without
                  // waiting. Email goes to the Resend stand-in first (its key; auth mail stays in the outbox,
                  // MAIL_MODE=outbox), so tests read what was sent; failover tests pick their own chain.
                  RESEND_API_KEY: RESEND_STAND_IN_API_KEY,
                  NOTIFY_EMAIL_PROVIDERS: "resend,cloudflare",
                  ...notifyStandInVars(NOTIFY_STAND_IN_TEST_ORIGIN),
                  ...newVapidKeys(),
                  NOTIFY_RETRY_BASE_SECONDS: "0",
                },
                outboundService: apiOutbound,
                // The deployed notifications consumer, with a short batch window so queued deliveries
                // run within a test's wait.
                queueConsumers: {
                  "nexus-notifications": {
                    maxBatchTimeout: 0.2,
                    maxRetries: 10,
                    deadLetterQueue: "nexus-notifications-dlq",
                  },
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: [
              "workers/api/**/*.test.ts",
              "packages/client/**/*.test.ts",
              "packages/security/**/*.test.ts",
            ],
            // Worker code checked against Node-only libraries (e.g. electron-updater's own helpers).
            exclude: [...configDefaults.exclude, "**/*.node.test.ts"],
            setupFiles: ["./workers/api/test/setup.ts"],
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./workers/consumers/wrangler.toml" },
              miniflare: {
                bindings: {
                  ...consumersVars,
                  // Retries at once, so the dead-letter tests do not wait out real backoff.
                  TELEMETRY_RETRY_BASE_SECONDS: "0",
                  WEBHOOK_RETRY_BASE_SECONDS: "0",
                  ENCRYPTION_KEYS: generateSecrets().ENCRYPTION_KEYS,
                  TEST_CENTRAL_MIGRATIONS: centralMigrations,
                },
                // Producers for the tests to send through the real queues (the worker only consumes).
                queueProducers: {
                  TELEMETRY_QUEUE: "nexus-telemetry",
                  EVENTS_QUEUE: "nexus-events",
                  ERRORS_QUEUE: "nexus-errors",
                  NOTIFICATIONS_QUEUE: "nexus-notifications",
                },
                // The worker's outbound fetches (webhook deliveries) reach a receiver in Node.
                outboundService: webhookReceiver,
                // The deployed consumer settings, with short batch windows and few retries so the
                // end-to-end dead-letter test takes seconds.
                queueConsumers: {
                  "nexus-telemetry": {
                    maxBatchTimeout: 0.2,
                    maxRetries: 2,
                    deadLetterQueue: "nexus-telemetry-dlq",
                  },
                  "nexus-telemetry-dlq": { maxBatchTimeout: 0.2 },
                  "nexus-events": {
                    maxBatchTimeout: 0.2,
                    maxRetries: 2,
                    deadLetterQueue: "nexus-events-dlq",
                  },
                  "nexus-events-dlq": { maxBatchTimeout: 0.2 },
                  "nexus-errors": {
                    maxBatchTimeout: 0.2,
                    maxRetries: 2,
                    deadLetterQueue: "nexus-errors-dlq",
                  },
                  "nexus-errors-dlq": { maxBatchTimeout: 0.2 },
                },
              },
            }),
          ],
          test: {
            name: "consumers",
            include: ["workers/consumers/**/*.test.ts"],
            exclude: [...configDefaults.exclude, "**/*.node.test.ts"],
            setupFiles: ["./workers/consumers/test/setup.ts"],
          },
        },
        {
          test: {
            name: "node",
            include: [
              "packages/cli/**/*.test.ts",
              "packages/contracts/**/*.test.ts",
              "scripts/**/*.test.ts",
              "bench/**/*.test.ts",
              "workers/**/*.node.test.ts",
              "e2e/**/*.test.ts",
            ],
            environment: "node",
          },
        },
      ],
    },
  };
});
