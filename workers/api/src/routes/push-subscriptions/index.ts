// The caller's own push subscriptions, and the VAPID public key browsers subscribe with.
import type { Operation } from "../../lib/operation.ts";
import { createPushSubscription } from "./create-push-subscription.ts";
import { deletePushSubscription } from "./delete-push-subscription.ts";
import { getVapidPublicKey } from "./get-vapid-public-key.ts";
import { listPushSubscriptions } from "./list-push-subscriptions.ts";

export const pushSubscriptionsOperations: Operation[] = [
  listPushSubscriptions,
  createPushSubscription,
  deletePushSubscription,
  getVapidPublicKey,
];
