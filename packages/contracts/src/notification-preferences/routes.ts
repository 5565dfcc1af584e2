// The caller's own notification preferences, and the public unsubscribe link of notification emails.
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
  NotificationPreferencesSchema,
  PutNotificationPreferencesRequestSchema,
  UnsubscribeQuerySchema,
} from "./schemas.ts";

const ownErrors = [...adminErrors, ...companyErrors, ...crmErrors] as const;

export const notificationPreferenceRoutes = {
  getNotificationPreferences: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/notifications/preferences",
    summary:
      "The caller's own notification preferences: category × channel settings, time zone and quiet hours, with the company's categories",
    tag: "notifications",
    auth: "companyUser",
    params: CompanyIdParams,
    status: 200,
    response: NotificationPreferencesSchema,
    errors: ownErrors,
  }),
  putNotificationPreferences: define({
    method: "put",
    path: "/api/admin/companies/{companyId}/notifications/preferences",
    summary:
      "Sets the caller's own preferences: time zone (IANA), quiet hours (HH:MM, local), and the category × channel set (replaced when given)",
    tag: "notifications",
    auth: "companyUser",
    params: CompanyIdParams,
    body: PutNotificationPreferencesRequestSchema,
    status: 200,
    response: NotificationPreferencesSchema,
    errors: [...ownErrors, ...bodyErrors],
  }),
  showUnsubscribe: define({
    method: "get",
    path: "/api/notifications/unsubscribe",
    summary:
      "The page behind a notification email's unsubscribe link (signed `token`, no sign-in): names what it stops, with a button",
    tag: "notifications",
    auth: "none",
    query: UnsubscribeQuerySchema,
    status: 200,
    response: z.string(),
    responseType: "text/html",
    errors: ["UNSUBSCRIBE_LINK_INVALID", "VALIDATION_FAILED", "COMPANY_NOT_FOUND", ...crmErrors],
  }),
  unsubscribe: define({
    method: "post",
    path: "/api/notifications/unsubscribe",
    summary:
      "One-click unsubscribe (RFC 8058 `List-Unsubscribe-Post`, and the page's button): opts the link's recipient out of its category on its channel",
    tag: "notifications",
    auth: "none",
    query: UnsubscribeQuerySchema,
    status: 200,
    response: z.string(),
    responseType: "text/html",
    errors: ["UNSUBSCRIBE_LINK_INVALID", "VALIDATION_FAILED", "COMPANY_NOT_FOUND", ...crmErrors],
  }),
} as const;
