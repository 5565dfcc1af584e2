import { define } from "../shared/route-contract.ts";
import { NotificationProviderEventParams, NotificationProviderEventResponseSchema } from "./schemas.ts";

export const notificationProviderEventRoutes = {
  receiveNotificationProviderEvent: define({
    method: "post",
    path: "/api/notifications/providers/{provider}/events",
    summary:
      "Delivery webhooks from the notification providers (resend: Svix-signed JSON; twilio: signed form status callbacks): sent → delivered or bounced, verified, idempotent and order-tolerant",
    tag: "notifications",
    auth: "none",
    params: NotificationProviderEventParams,
    rawBody: true,
    rawBodyType: "application/json, application/x-www-form-urlencoded",
    status: 200,
    response: NotificationProviderEventResponseSchema,
    errors: [
      "WEBHOOK_PROVIDER_NOT_CONFIGURED",
      "WEBHOOK_SIGNATURE_INVALID",
      "VALIDATION_FAILED",
      "PAYLOAD_TOO_LARGE",
    ],
  }),
} as const;
