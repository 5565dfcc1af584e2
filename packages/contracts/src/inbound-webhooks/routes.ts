import { z } from "zod";
import { adminErrors, define } from "../shared/route-contract.ts";
import {
  InboundWebhookItemSchema,
  InboundWebhookListQuerySchema,
  InboundWebhookListSchema,
} from "./schemas.ts";

export const inboundWebhookRoutes = {
  listInboundWebhooks: define({
    method: "get",
    path: "/api/admin/inbound-webhooks",
    summary: "List verified inbound webhooks with their processing state, newest first",
    tag: "operator",
    auth: "operator",
    query: InboundWebhookListQuerySchema,
    status: 200,
    response: InboundWebhookListSchema,
    errors: [...adminErrors, "FORBIDDEN", "VALIDATION_FAILED"],
  }),
  replayInboundWebhook: define({
    method: "post",
    path: "/api/admin/inbound-webhooks/{id}/replay",
    summary: "Queue an inbound webhook that was not processed (failed, or stuck) for processing again",
    tag: "operator",
    auth: "operator",
    params: z.object({ id: z.string().min(1).max(64) }),
    status: 200,
    response: InboundWebhookItemSchema,
    errors: [...adminErrors, "FORBIDDEN", "NOT_FOUND", "INBOUND_WEBHOOK_PROCESSED", "SERVICE_UNAVAILABLE"],
  }),
} as const;
