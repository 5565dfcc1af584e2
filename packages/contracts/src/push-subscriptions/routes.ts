// The caller's own push subscriptions, and the VAPID public key browsers subscribe with.
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
  CreatePushSubscriptionRequestSchema,
  PushSubscriptionListSchema,
  PushSubscriptionResponseSchema,
  VapidPublicKeySchema,
} from "./schemas.ts";

const ownErrors = [...adminErrors, ...companyErrors, ...crmErrors] as const;

export const pushSubscriptionRoutes = {
  listPushSubscriptions: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/notifications/push-subscriptions",
    summary: "The caller's own push subscriptions (browsers and mobile apps)",
    tag: "notifications",
    auth: "companyUser",
    params: CompanyIdParams,
    status: 200,
    response: PushSubscriptionListSchema,
    errors: ownErrors,
  }),
  createPushSubscription: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/notifications/push-subscriptions",
    summary:
      "Registers a push subscription for the caller; the same endpoint again updates it (and moves it to the caller)",
    tag: "notifications",
    auth: "companyUser",
    params: CompanyIdParams,
    body: CreatePushSubscriptionRequestSchema,
    status: 201,
    response: PushSubscriptionResponseSchema,
    errors: [...ownErrors, ...bodyErrors, "WEBHOOK_URL_NOT_ALLOWED"],
  }),
  deletePushSubscription: define({
    method: "delete",
    path: "/api/admin/companies/{companyId}/notifications/push-subscriptions/{subscriptionId}",
    summary: "Removes one of the caller's push subscriptions",
    tag: "notifications",
    auth: "companyUser",
    params: CompanyIdParams.extend({ subscriptionId: z.string().min(1).max(64) }),
    status: 200,
    response: z.object({ success: z.literal(true) }),
    errors: [...ownErrors, "PUSH_SUBSCRIPTION_NOT_FOUND"],
  }),
  getVapidPublicKey: define({
    method: "get",
    path: "/api/notifications/vapid-public-key",
    summary: "The VAPID public key (RFC 8292) browsers subscribe with; null when web push is not configured",
    tag: "notifications",
    auth: "none",
    status: 200,
    response: VapidPublicKeySchema,
    errors: [],
  }),
} as const;
