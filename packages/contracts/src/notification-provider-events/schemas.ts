// Delivery webhooks of the notification providers (docs/notifications.md, "Providers"): Resend's
// (Svix / Standard Webhooks signature) and Twilio's status callbacks (X-Twilio-Signature). They move
// a sent message to delivered or bounced; nothing else about a message is taken from them.
import { z } from "zod";

export const NotificationProviderSchema = z.enum(["resend", "twilio"]).meta({
  description: "The provider whose delivery webhook this is",
  example: "resend",
});
export type NotificationProviderName = z.infer<typeof NotificationProviderSchema>;

export const NotificationProviderEventParams = z.object({ provider: NotificationProviderSchema });

export const NotificationProviderEventResponseSchema = z
  .object({
    success: z.literal(true),
    outcome: z.enum(["applied", "duplicate", "ignored"]).meta({
      description:
        "applied: the message's status changed; duplicate: it already had this status or a final one (delivered never goes back); ignored: an event type or message this deployment does not track — answered 200 so the provider does not retry it for days",
    }),
    message_id: z.string().nullable().meta({ description: "The notification message the event was for" }),
    status: z
      .enum(["delivered", "bounced"])
      .nullable()
      .meta({ description: "The status the event maps to (null: an event that changes nothing)" }),
  })
  .meta({ id: "NotificationProviderEventResponse" });
export type NotificationProviderEventResponse = z.infer<typeof NotificationProviderEventResponseSchema>;
