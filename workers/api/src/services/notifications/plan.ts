// What happens to one message before it is stored: send now, skip (opted out), hold (quiet hours)
// or batch into a digest. Critical workflows bypass opt-outs and quiet hours (and are never batched).
// The trigger calls planDelivery for each recipient and channel; release.ts re-checks held
// messages with recheckHeld when their time comes.
import { newDigest, openDigest } from "./digest.ts";
import {
  preferenceEnabled,
  type preferencesOfRecipients,
  recipientPreferences,
  recipientSettings,
} from "./preferences.ts";
import { QUIET_CHANNELS, quietHoursEnd } from "./quiet-hours.ts";

export interface PlanInput {
  recipientKey: string;
  channel: string;
  category: string;
  critical: boolean;
  digestMinutes: number | null;
  now: number;
  /** The workflow: digests batch one workflow's messages. Without it, the category stands in. */
  workflowKey?: string;
}

export type DeliveryPlan =
  | { action: "send" }
  | { action: "skip"; reason: string }
  | { action: "hold"; until: number }
  | { action: "digest"; until: number; digestKey: string };

export const OPTED_OUT = "opted out";

/** The recipients' stored preferences and settings, read once for a whole trigger (preferencesOfRecipients). */
export type PlanContext = Awaited<ReturnType<typeof preferencesOfRecipients>>;

/** Opt-outs and quiet hours only: the part of a plan that is checked again when a held message is released. */
export async function recheckHeld(
  db: D1Database,
  input: Pick<PlanInput, "recipientKey" | "channel" | "category" | "critical" | "now">,
  context?: PlanContext,
): Promise<DeliveryPlan> {
  if (input.critical) return { action: "send" };
  const quiet = QUIET_CHANNELS.has(input.channel);
  const [preferences, settings] = context
    ? [
        context.preferences.get(input.recipientKey) ?? [],
        quiet ? (context.settings.get(input.recipientKey) ?? null) : null,
      ]
    : await Promise.all([
        recipientPreferences(db, input.recipientKey),
        quiet ? recipientSettings(db, input.recipientKey) : null,
      ]);
  if (!preferenceEnabled(preferences, input.category, input.channel))
    return { action: "skip", reason: OPTED_OUT };
  return quietHold(settings, input.now);
}

function quietHold(
  settings: { timeZone: string; quietStart: string | null; quietEnd: string | null } | null,
  now: number,
): DeliveryPlan {
  if (!settings?.quietStart || !settings.quietEnd) return { action: "send" };
  const until = quietHoursEnd(now, {
    timeZone: settings.timeZone,
    start: settings.quietStart,
    end: settings.quietEnd,
  });
  return until === null ? { action: "send" } : { action: "hold", until };
}

export async function planDelivery(
  db: D1Database,
  input: PlanInput,
  context?: PlanContext,
): Promise<DeliveryPlan> {
  const plan = await recheckHeld(db, input, context);
  if (input.critical || plan.action === "skip" || input.digestMinutes === null || input.digestMinutes <= 0) {
    return plan;
  }
  // Batching comes before quiet hours: the digest itself is checked for quiet hours when it is built.
  const digest =
    (await openDigest(db, {
      recipientKey: input.recipientKey,
      workflowKey: input.workflowKey ?? input.category,
      channel: input.channel,
      now: input.now,
    })) ?? newDigest(input.now, input.digestMinutes);
  return { action: "digest", until: digest.until, digestKey: digest.digestKey };
}
