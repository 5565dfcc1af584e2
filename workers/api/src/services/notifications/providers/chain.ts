// The providers of a channel, in the configured order (NOTIFY_EMAIL_PROVIDERS, NOTIFY_SMS_PROVIDERS).
// A provider the deployment lacks settings for is left out of the chain with a note in the attempt
// log (see `missing`), so a half-configured secondary never hides the primary's own failure.
import type { Config } from "../../../env.ts";
import { cloudflareEmailProvider, emailBinding } from "./email-cloudflare.ts";
import { resendProvider } from "./email-resend.ts";
import { inAppProvider, type NotifyUsers } from "./in-app.ts";
import { twilioProvider } from "./sms-twilio.ts";
import type { NotificationChannel, NotificationProvider } from "./types.ts";
import { webPushProvider } from "./web-push.ts";

export interface ChainContext {
  env: Env;
  config: Config;
  /** The company's tenant database (push subscriptions live there). */
  db: D1Database;
  notifyUsers: NotifyUsers | null;
}

export interface ProviderChain {
  providers: NotificationProvider[];
  /** Configured providers that cannot run here, with what they lack. */
  missing: { name: string; reason: string }[];
}

type Built = NotificationProvider | { missing: string };

function emailProvider(name: string, { env, config }: ChainContext): Built {
  if (name === "cloudflare") {
    const binding = emailBinding(env);
    return binding
      ? cloudflareEmailProvider({ binding, from: config.NOTIFY_EMAIL_FROM })
      : { missing: "no send_email binding named EMAIL in wrangler.toml" };
  }
  if (!config.RESEND_API_KEY) return { missing: "the RESEND_API_KEY secret is not set" };
  return resendProvider({
    apiKey: config.RESEND_API_KEY,
    baseUrl: config.RESEND_API_BASE_URL,
    from: config.NOTIFY_EMAIL_FROM,
  });
}

function smsProvider(_name: string, { config }: ChainContext): Built {
  const { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, TWILIO_FROM_NUMBER: from } = config;
  if (!accountSid || !authToken || !from) {
    return {
      missing: "TWILIO_ACCOUNT_SID, TWILIO_FROM_NUMBER and the TWILIO_AUTH_TOKEN secret must all be set",
    };
  }
  return twilioProvider({
    accountSid,
    authToken,
    from,
    baseUrl: config.TWILIO_API_BASE_URL,
    statusCallback: new URL("/api/notifications/providers/twilio/events", config.PUBLIC_URL).toString(),
  });
}

function pushProvider(context: ChainContext): Built {
  const {
    VAPID_PUBLIC_KEY: publicKey,
    VAPID_PRIVATE_KEY: privateKey,
    VAPID_SUBJECT: subject,
  } = context.config;
  if (!publicKey || !privateKey)
    return { missing: "VAPID_PUBLIC_KEY and the VAPID_PRIVATE_KEY secret must be set" };
  return webPushProvider({ db: context.db, vapid: { publicKey, privateKey, subject } });
}

export function providerChain(channel: NotificationChannel, context: ChainContext): ProviderChain {
  let built: [string, Built][];
  switch (channel) {
    case "email":
      built = context.config.NOTIFY_EMAIL_PROVIDERS.map((name) => [name, emailProvider(name, context)]);
      break;
    case "sms":
      built = context.config.NOTIFY_SMS_PROVIDERS.map((name) => [name, smsProvider(name, context)]);
      break;
    case "push":
      built = [["webpush", pushProvider(context)]];
      break;
    case "in_app":
      built = [["in_app", inAppProvider(context.notifyUsers)]];
      break;
  }
  const chain: ProviderChain = { providers: [], missing: [] };
  for (const [name, provider] of built) {
    if ("send" in provider) chain.providers.push(provider);
    else chain.missing.push({ name, reason: provider.missing });
  }
  return chain;
}
