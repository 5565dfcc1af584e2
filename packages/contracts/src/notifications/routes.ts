// Notifications: trigger a workflow, and the history of messages with their provider attempts.
import { z } from "zod";
import {
  adminErrors,
  bodyErrors,
  CompanyIdParams,
  companyErrors,
  crmErrors,
  define,
} from "../shared/route-contract.ts";
import {
  ListNotificationMessagesQuerySchema,
  NotificationMessageDetailSchema,
  NotificationMessageListSchema,
  TriggerNotificationRequestSchema,
  TriggerNotificationResponseSchema,
} from "./schemas.ts";

const tenantErrors = [...adminErrors, ...companyErrors, ...crmErrors] as const;
const MessageParams = CompanyIdParams.extend({ messageId: z.string().min(1).max(64) });

export const notificationRoutes = {
  triggerNotification: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/notifications",
    summary:
      "Sends a workflow to recipients (users, roles, raw email addresses or phone numbers): one message per " +
      "recipient and channel, queued for delivery. The same Idempotency-Key, even sent concurrently, makes no " +
      "new message: it answers 200 with `duplicate: true` and the first request's messages",
    tag: "notifications",
    auth: "company",
    permission: { resource: "notifications", action: "send" },
    params: CompanyIdParams,
    headers: {
      "Idempotency-Key":
        "Recommended. Up to 255 visible ASCII characters; a repeated trigger with the same key sends nothing new.",
    },
    body: TriggerNotificationRequestSchema,
    status: 202,
    response: TriggerNotificationResponseSchema,
    errors: [
      ...tenantErrors,
      ...bodyErrors,
      "NOTIFICATION_WORKFLOW_NOT_FOUND",
      "NOTIFICATION_RECIPIENT_INVALID",
      "NOTIFICATION_TEMPLATE_INVALID",
    ],
  }),
  listNotificationMessages: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/notifications/messages",
    summary:
      "The company's sent notifications, newest first, filtered by status, channel, recipient, workflow and date",
    tag: "notifications",
    auth: "company",
    permission: { resource: "notifications", action: "read" },
    params: CompanyIdParams,
    query: ListNotificationMessagesQuerySchema,
    status: 200,
    response: NotificationMessageListSchema,
    errors: [...tenantErrors, "VALIDATION_FAILED"],
  }),
  getNotificationMessage: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/notifications/messages/{messageId}",
    summary: "One notification with every provider attempt (a failover names each provider tried)",
    tag: "notifications",
    auth: "company",
    permission: { resource: "notifications", action: "read" },
    params: MessageParams,
    status: 200,
    response: NotificationMessageDetailSchema,
    errors: [...tenantErrors, "NOTIFICATION_MESSAGE_NOT_FOUND"],
  }),
} as const;
