import { configReader, EncryptionKeysSchema, jsonSetting, LlmModelRouteSchema } from "@nexus/contracts";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { z } from "zod";
import { ApiError } from "./lib/errors.ts";
import type { Caller } from "./middleware/caller.ts";

export type CentralDb = DrizzleD1Database<Record<string, never>>;

/** Who made the request, as recorded in the audit log. */
export interface Actor {
  type: "operator" | "user" | "api_key" | "registration_token" | "anonymous" | "installation" | "system";
  id: string | null;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    db: CentralDb;
    actor: Actor;
    /** Set by the access middleware of the operation's auth scheme (middleware/access.ts). */
    caller: Caller;
  };
}

const StandardSendersSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9-]{1,31}$/),
  z
    .union([z.string().startsWith("whsec_"), z.array(z.string().startsWith("whsec_")).min(1)])
    .transform((v) => (Array.isArray(v) ? v : [v])),
);

/** An unset var may arrive as "" (wrangler [vars]): treated as absent. */
const optionalSetting = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    schema.optional(),
  );

/** A comma-separated, ordered provider chain of known names. */
const providerChain = (known: readonly string[], fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(",")
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(known as [string, ...string[]]), `must list providers among ${known.join(", ")}`));

const ConfigSchema = z.object({
  REGISTRATION_MODE: z.enum(["token", "open"]).default("token"),
  INSTALLATION_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  HEARTBEAT_FLUSH_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  INSTALLATION_DEAD_AFTER_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(1800),
  INSTALLATION_REVIVE_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(90 * 86_400)
    .default(86_400),
  NEXUS_ADMIN_SECRET: z.string().min(32, "must be set, at least 32 characters (openssl rand -base64 32)"),
  ENCRYPTION_KEYS: EncryptionKeysSchema,
  JWT_SIGNING_KEYS: z.string().min(2, "must be a JSON array of Ed25519 private JWKs with `kid`"),
  BETTER_AUTH_SECRET: z.string().min(32, "must be set, at least 32 characters (openssl rand -base64 32)"),
  /** Where mail goes: `outbox` keeps it in the central database (local development, tests). */
  MAIL_MODE: z.enum(["outbox", "resend"]).default("outbox"),
  /** Sender of the API's mail (MAIL_MODE=resend), e.g. `Nexus Central <no-reply@example.com>`. */
  MAIL_FROM: z.string().default("Nexus Central <no-reply@nexus-central.invalid>"),
  /** Resend API key (MAIL_MODE=resend only). */
  RESEND_API_KEY: z.string().optional(),
  /**
   * Where outbound webhooks may point: `public` (https to public hosts only; production) or `local`
   * (http and loopback/private hosts too; local development and tests).
   */
  WEBHOOK_URL_POLICY: z.enum(["public", "local"]).default("public"),
  /** Inbound webhook secrets, one deployment each; a provider without its secret answers 404. */
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(
      /^whsec_\S+(,whsec_\S+)*$/,
      "must be Stripe endpoint secrets (`whsec_…`), comma-separated while rotating",
    )
    .optional(),
  GITHUB_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16, "must be the account's auth token").optional(),
  /** Standard Webhooks senders: JSON `{"<provider>": "whsec_…" | ["whsec_…", …]}`. */
  WEBHOOK_SENDERS: jsonSetting(
    StandardSendersSchema,
    'must be JSON like {"docusign":"whsec_…"} (provider names: lower-case letters, digits, -)',
  ),
  /** The LLM gateway's providers: base URLs (stand-ins locally) and the platform's own keys. */
  LLM_OPENAI_BASE_URL: z.url("must be an http(s) URL").default("https://api.openai.com/v1"),
  LLM_ANTHROPIC_BASE_URL: z.url("must be an http(s) URL").default("https://api.anthropic.com"),
  LLM_GEMINI_BASE_URL: z.url("must be an http(s) URL").default("https://generativelanguage.googleapis.com"),
  LLM_OPENAI_API_KEY: z.string().min(1).optional(),
  LLM_ANTHROPIC_API_KEY: z.string().min(1).optional(),
  LLM_GEMINI_API_KEY: z.string().min(1).optional(),
  /** The models a company has before it sets its own LLM policy (platform keys only). */
  LLM_DEFAULT_MODELS: jsonSetting(
    z.array(LlmModelRouteSchema).max(50),
    'must be a JSON array like [{"name":"default","targets":[{"provider":"openai","model":"gpt-4o-mini"}]}]',
    "[]",
  ),
  PUBLIC_URL: z.url("must be the API's public origin, e.g. https://central.example.com"),
  DASHBOARD_ORIGINS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  /** Operator alerts (services/operator-alerts.ts): who gets them, and when a condition alerts. */
  OPERATOR_ALERT_EMAILS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((address) => address.trim().toLowerCase())
        .filter(Boolean),
    ),
  TENANT_POOL_LOW_THRESHOLD: z.coerce.number().int().min(0).max(10_000).default(2),
  DEAD_LETTER_ALERT_THRESHOLD: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** A webhook endpoint failing for this long puts its company on the operators' alert list. */
  WEBHOOK_FAILING_ALERT_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  // Notification delivery (docs/notifications.md, "Providers"). Each channel's providers are tried
  // in order within one attempt (failover); the attempt is retried with growing delays.
  NOTIFY_EMAIL_PROVIDERS: providerChain(["cloudflare", "resend"], "cloudflare,resend"),
  NOTIFY_SMS_PROVIDERS: providerChain(["twilio"], "twilio"),
  NOTIFY_EMAIL_FROM: z.string().min(3).default("Nexus Central <notifications@nexus-central.invalid>"),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  NOTIFY_RETRY_BASE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  RESEND_API_BASE_URL: z.url("must be an http(s) URL").default("https://api.resend.com"),
  /** Resend's webhook signing secret (Svix, `whsec_…`): without it, Resend's delivery events are refused. */
  RESEND_WEBHOOK_SECRET: optionalSetting(
    z.string().startsWith("whsec_", "must be Resend's signing secret (whsec_…)"),
  ),
  TWILIO_API_BASE_URL: z.url("must be an http(s) URL").default("https://api.twilio.com"),
  TWILIO_ACCOUNT_SID: optionalSetting(
    z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must be the account SID (AC + 32 hex digits)"),
  ),
  TWILIO_FROM_NUMBER: optionalSetting(
    z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number like +15551234567"),
  ),
  /** Web Push (RFC 8292): base64url public point and private scalar, and a mailto:/https: contact. */
  VAPID_PUBLIC_KEY: optionalSetting(
    z.string().regex(/^[A-Za-z0-9_-]{87}$/, "must be the base64url of a 65-byte P-256 point"),
  ),
  VAPID_PRIVATE_KEY: optionalSetting(
    z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be the base64url of a 32-byte P-256 private key"),
  ),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:)/, "must be a mailto: or https: URL")
    .default("mailto:notifications@nexus-central.invalid"),
});
export type Config = z.infer<typeof ConfigSchema>;

/**
 * The dashboard that links in mail open: the first DASHBOARD_ORIGINS entry when it is a plain http(s)
 * origin. The list also feeds better-auth's trustedOrigins, where an entry may be a pattern such as
 * `https://*.example.com` that names no single site; then, as when the list is empty, there is none.
 */
export function dashboardOrigin(config: Pick<Config, "DASHBOARD_ORIGINS">): string | undefined {
  const [first] = config.DASHBOARD_ORIGINS;
  if (!first || first.includes("*")) return undefined;
  try {
    const url = new URL(first);
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Validated vars and secrets. A misconfigured deployment fails with a message that names the
 * setting (never its value), so an operator can fix it from the response or the log.
 */
export const getConfig: (env: Env) => Config = configReader(
  ConfigSchema,
  (problems) =>
    new ApiError(
      "CONFIGURATION_ERROR",
      `The server is misconfigured: ${problems}. See docs/configuration.md.`,
    ),
);
