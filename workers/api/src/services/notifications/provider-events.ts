// Delivery webhooks of the notification providers: verified over the raw body, mapped to Knock's
// states, and applied to the message they name (found through the central notification_provider_refs).
// Only forward moves are applied — queued/sent → delivered, queued/sent → bounced — so duplicates and
// events that arrive out of order are no-ops, and a delivered message never goes back. An event for a
// message this deployment does not know is answered 200 ("ignored"): the providers retry anything
// else for days, and there is nothing a retry could change.
import type { NotificationProviderEventResponse, NotificationProviderName } from "@nexus/contracts";
import { notificationProviderRefs } from "@nexus/db/central";
import { notificationAttempts, notificationMessages } from "@nexus/db/tenant";
import { verifyStandardWebhook } from "@nexus/security";
import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { z } from "zod";
import type { Config } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { inboundVerifier } from "../inbound-webhooks.ts";
import { tenantDatabase } from "../tenant-db.ts";

export interface ProviderEvent {
  providerMessageId: string;
  /** null: an event that changes nothing (email.sent, Twilio's queued/sending/sent). */
  status: "delivered" | "bounced" | null;
  /** What the provider said went wrong (bounce type, Twilio error code). */
  reason: string | null;
  type: string;
}

export interface SignedRequest {
  /** The public URL the provider called (Twilio signs it). */
  url: string;
  headers: Headers;
  body: string;
}

function notConfigured(provider: string, setting: string): ApiError {
  return new ApiError(
    "WEBHOOK_PROVIDER_NOT_CONFIGURED",
    `This deployment does not receive ${provider} delivery events: ${setting} is not set. See docs/notifications.md.`,
  );
}

function invalid(message: string): ApiError {
  return new ApiError("WEBHOOK_SIGNATURE_INVALID", message);
}

/** The part of Resend's event that matters here; anything else in it is ignored. */
const ResendEventSchema = z.object({
  type: z.string(),
  data: z.object({
    email_id: z.string().min(1),
    bounce: z.object({ type: z.string(), subType: z.string(), message: z.string() }).partial().optional(),
  }),
});

function resendBody(body: string): z.infer<typeof ResendEventSchema> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ApiError("VALIDATION_FAILED", "The Resend event is not JSON.");
  }
  const parsed = ResendEventSchema.safeParse(value);
  if (!parsed.success)
    throw new ApiError("VALIDATION_FAILED", "The Resend event has no type or data.email_id.");
  return parsed.data;
}

const RESEND_STATUS: Record<string, ProviderEvent["status"]> = {
  "email.delivered": "delivered",
  "email.bounced": "bounced",
  // A spam complaint means the mail reached the inbox.
  "email.complained": "delivered",
};

/**
 * Resend signs with Svix (`svix-id`, `svix-timestamp`, `svix-signature`), which is the Standard
 * Webhooks scheme under other header names; both spellings are accepted.
 */
async function resendEvent(
  config: Config,
  request: SignedRequest,
  nowSeconds: number,
): Promise<ProviderEvent> {
  if (!config.RESEND_WEBHOOK_SECRET) throw notConfigured("Resend", "RESEND_WEBHOOK_SECRET");
  const header = (name: string) =>
    request.headers.get(`svix-${name}`) ?? request.headers.get(`webhook-${name}`) ?? undefined;
  const verdict = await verifyStandardWebhook(
    [config.RESEND_WEBHOOK_SECRET],
    { id: header("id"), timestamp: header("timestamp"), signature: header("signature") },
    request.body,
    nowSeconds,
  );
  if (!verdict.ok) throw invalid(`The Resend webhook signature was refused: ${verdict.reason}.`);
  const { type, data } = resendBody(request.body);
  const bounce = data.bounce;
  const reason =
    type === "email.bounced"
      ? [bounce?.type, bounce?.subType, bounce?.message].filter(Boolean).join(": ") || "bounced"
      : type === "email.complained"
        ? "the recipient marked it as spam"
        : null;
  return { providerMessageId: data.email_id, status: RESEND_STATUS[type] ?? null, reason, type };
}

const TWILIO_STATUS: Record<string, ProviderEvent["status"]> = {
  delivered: "delivered",
  read: "delivered",
  undelivered: "bounced",
  failed: "bounced",
};

/** Twilio's status callback: form parameters signed with X-Twilio-Signature (inbound-webhooks.ts). */
async function twilioEvent(
  config: Config,
  request: SignedRequest,
  nowSeconds: number,
): Promise<ProviderEvent> {
  const verify = inboundVerifier(config, "twilio");
  if (!verify) throw notConfigured("Twilio", "TWILIO_AUTH_TOKEN");
  await verify(request, nowSeconds);
  const form = new URLSearchParams(request.body);
  const sid = form.get("MessageSid") ?? form.get("SmsSid");
  if (!sid) throw new ApiError("VALIDATION_FAILED", "The Twilio callback has no MessageSid.");
  const type = form.get("MessageStatus") ?? form.get("SmsStatus") ?? "";
  const code = form.get("ErrorCode");
  const status = TWILIO_STATUS[type] ?? null;
  return {
    providerMessageId: sid,
    status,
    reason: status === "bounced" ? `Twilio ${type}${code ? ` (error ${code})` : ""}` : null,
    type,
  };
}

export function verifyProviderEvent(
  provider: NotificationProviderName,
  config: Config,
  request: SignedRequest,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<ProviderEvent> {
  return provider === "resend"
    ? resendEvent(config, request, nowSeconds)
    : twilioEvent(config, request, nowSeconds);
}

/** Applies a verified event to its message, if it moves the message forward. */
export async function applyProviderEvent(
  env: Env,
  provider: NotificationProviderName,
  event: ProviderEvent,
  now = Date.now(),
): Promise<NotificationProviderEventResponse> {
  const [ref] = await drizzle(env.CENTRAL_DB)
    .select()
    .from(notificationProviderRefs)
    .where(
      and(
        eq(notificationProviderRefs.provider, provider),
        eq(notificationProviderRefs.providerMessageId, event.providerMessageId),
      ),
    )
    .limit(1);
  if (!ref) return { success: true, outcome: "ignored", message_id: null, status: event.status };
  if (!event.status) return { success: true, outcome: "ignored", message_id: ref.messageId, status: null };
  const orm = drizzle(await tenantDatabase(env, ref.companyId));
  const t = notificationMessages;
  const moved = await orm
    .update(t)
    .set(
      event.status === "delivered"
        ? { status: "delivered", deliveredAt: now, updatedAt: now }
        : { status: "bounced", statusReason: event.reason, updatedAt: now },
    )
    .where(and(eq(t.id, ref.messageId), inArray(t.status, ["queued", "sent"])))
    .returning({ attempts: t.attempts });
  const applied = moved[0];
  if (!applied)
    return { success: true, outcome: "duplicate", message_id: ref.messageId, status: event.status };
  // The attempt log shows what the provider reported, next to the attempts that sent it.
  await orm.insert(notificationAttempts).values({
    id: newId(),
    messageId: ref.messageId,
    attempt: applied.attempts,
    provider,
    outcome: event.status,
    error: event.status === "bounced" ? event.reason : null,
    createdAt: now,
  });
  return { success: true, outcome: "applied", message_id: ref.messageId, status: event.status };
}
