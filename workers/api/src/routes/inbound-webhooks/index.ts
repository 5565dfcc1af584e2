// Operators' view of inbound webhooks: every verified event with its processing state (received,
// queued, processed, failed), filtered by provider and state, and a replay that queues an event that
// was not processed again (the sweeper gave up on it, or it is stuck).
import type { Operation } from "../../lib/operation.ts";
import { listInboundWebhooks } from "./list-inbound-webhooks.ts";
import { replayInboundWebhook } from "./replay-inbound-webhook.ts";

export const inboundWebhooksOperations: Operation[] = [listInboundWebhooks, replayInboundWebhook];
