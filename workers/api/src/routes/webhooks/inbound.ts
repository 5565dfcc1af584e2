// POST /api/webhooks/{provider}: verify, record the event id once, enqueue, answer. The work (e.g.
// Stripe billing) happens in workers/telemetry's `nexus-events` consumer, so the sender gets its 200
// in milliseconds and a slow step never makes it time out and resend.
import { type EventsQueueMessage, routes } from "@nexus/contracts";
import { inboundWebhookEvents } from "@nexus/db/central";
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { type AppEnv, getConfig } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { readLimited } from "../../lib/json-body.ts";
import { honoPath, validParams } from "../../lib/route.ts";
import { inboundVerifier } from "../../services/inbound-webhooks.ts";

const contract = routes.receiveWebhook;
/** Stripe, GitHub and Twilio stay far below this (GitHub caps payloads at 25 MB, but sends ~10–100 KB). */
const INBOUND_BODY_LIMIT = 1024 * 1024;

export const inboundWebhookRoute = new Hono<AppEnv>().post(
  honoPath(contract.path),
  validParams(contract.params),
  async (c) => {
    const { provider } = c.req.valid("param");
    const config = getConfig(c.env);
    const verify = inboundVerifier(config, provider);
    if (!verify) {
      throw new ApiError(
        "WEBHOOK_PROVIDER_NOT_CONFIGURED",
        `This deployment does not receive webhooks from "${provider}". See the README's Configuration section.`,
      );
    }
    const body = await readLimited(c.req.raw, INBOUND_BODY_LIMIT);
    // The URL the sender signed (Twilio) is the public one, whatever host the request reached.
    const requested = new URL(c.req.url);
    const url = new URL(requested.pathname + requested.search, config.PUBLIC_URL).toString();
    const { eventId, eventType } = await verify(
      { url, headers: c.req.raw.headers, body },
      Math.floor(Date.now() / 1000),
    );

    const db = c.get("db");
    const inserted = await db
      .insert(inboundWebhookEvents)
      .values({ provider, eventId, eventType, payload: body, receivedAt: new Date() })
      .onConflictDoNothing()
      .returning({ eventId: inboundWebhookEvents.eventId });
    if (inserted.length === 0) return c.json({ success: true as const, event_id: eventId, duplicate: true });

    const message: EventsQueueMessage = { kind: "inbound", provider, event_id: eventId };
    try {
      await c.env.EVENTS_QUEUE.send(message);
    } catch (error) {
      // Unrecorded again, so the sender's retry is processed rather than taken for a replay.
      await db
        .delete(inboundWebhookEvents)
        .where(and(eq(inboundWebhookEvents.provider, provider), eq(inboundWebhookEvents.eventId, eventId)));
      console.error(
        JSON.stringify({ level: "error", event: "inbound_enqueue_failed", provider, error: String(error) }),
      );
      throw new ApiError("SERVICE_UNAVAILABLE", "The webhook could not be queued; send it again.", {
        action: "retry",
      });
    }
    return c.json({ success: true as const, event_id: eventId, duplicate: false });
  },
);
