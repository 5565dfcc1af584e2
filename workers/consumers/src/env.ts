// The consumers worker's bindings and settings. `Env` is what the code needs; the binding types that
// `wrangler types` generates from wrangler.toml (worker-configuration.d.ts, `ConsumersEnv`) are checked
// against it (generated-env.check.ts), so a binding dropped or renamed in the config fails typecheck.
// The string vars and the secret are validated with zod before a batch or a cron run touches anything:
// a misconfigured deployment fails with a message that names the setting (never its value).
import { configReader, EncryptionKeysSchema, jsonSetting } from "@nexus/contracts";
import { z } from "zod";
import type { ErrorsEnv } from "./errors/consumer.ts";
import type { EventsEnv } from "./events/consumer.ts";
import type { TelemetryEnv } from "./telemetry/consumer.ts";

export interface Env extends TelemetryEnv, EventsEnv, ErrorsEnv {
  /** Days minute roll-ups are kept (hour and day roll-ups stay). */
  TELEMETRY_MINUTE_RETENTION_DAYS?: string;
  /** Days app error events and their hourly counts are kept (issues stay). */
  ERROR_EVENT_RETENTION_DAYS?: string;
  /** Days the raw envelopes of app errors are kept in the ERRORS bucket. */
  ERROR_RAW_RETENTION_DAYS?: string;
}

const ConfigSchema = z.object({
  TELEMETRY_MINUTE_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  TELEMETRY_RETRY_BASE_SECONDS: z.coerce.number().min(0).max(900).default(10),
  ERROR_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  ERROR_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  WEBHOOK_URL_POLICY: z.enum(["public", "local"]).default("public"),
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce
    .number()
    .min(0)
    .max(12 * 3600)
    .default(10),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().positive().max(300).optional(),
  /** JSON: Stripe price id -> tier. */
  STRIPE_PRICE_TIERS: jsonSetting(
    z.record(z.string(), z.string()),
    'must be JSON like {"price_…":"professional"}',
  ),
  BILLING_GRACE_DAYS: z.coerce.number().min(0).default(3),
  // Must be the API's value: webhook signing secrets are sealed with it (same format as the API's).
  ENCRYPTION_KEYS: EncryptionKeysSchema,
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}

/** Validated vars and secret; throws ConfigurationError naming every bad setting. */
export const getConfig: (env: Env) => Config = configReader(
  ConfigSchema,
  (problems) =>
    new ConfigurationError(`workers/consumers is misconfigured: ${problems}. See docs/configuration.md.`),
);
