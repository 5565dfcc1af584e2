// What the inbound-webhooks tests share: an event received from the configured `docusign` sender,
// and a way to set its processing state as the sweeper would.
import { env } from "cloudflare:workers";
import type { InboundWebhookEvent } from "@nexus/contracts";
import { Webhook } from "standardwebhooks";
import { expect } from "vitest";
import { call } from "../../../test/helpers.ts";
import { TEST_WEBHOOK_SECRETS } from "../../../test/webhook-secrets.ts";

const DOCUSIGN_SECRET = (JSON.parse(TEST_WEBHOOK_SECRETS.WEBHOOK_SENDERS) as { docusign: string }).docusign;

/** Receives a Standard Webhooks event from the configured `docusign` sender, as the sender would. */
export async function receive(id: string) {
  const payload = JSON.stringify({ type: "envelope.completed", data: { envelope_id: id } });
  const at = new Date();
  const response = await call("/api/webhooks/docusign", {
    method: "POST",
    body: payload,
    headers: {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(DOCUSIGN_SECRET).sign(id, at, payload),
    },
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

export const setState = (eventId: string, state: string, attempts: number) =>
  env.CENTRAL_DB.prepare(
    "UPDATE inbound_webhook_events SET state = ?, attempts = ?, next_attempt_at = NULL, last_error = 'gave up after 8 attempts' WHERE event_id = ?",
  )
    .bind(state, attempts, eventId)
    .run();

export interface EventList {
  events: InboundWebhookEvent[];
  next_cursor: string | null;
}
