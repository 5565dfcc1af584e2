// POST /api/notifications/providers/{provider}/events: Resend's and Twilio's delivery webhooks. The
// signature is checked over the raw body before anything is parsed; a bad one is a 401.
import { getConfig } from "../../env.ts";
import { readLimited } from "../../lib/json-body.ts";
import { operation } from "../../lib/operation.ts";
import { applyProviderEvent, verifyProviderEvent } from "../../services/notifications/provider-events.ts";

/** Delivery events are a few kilobytes; Resend's largest (with headers and tags) stays far below. */
const EVENT_BODY_LIMIT = 256 * 1024;

export const receiveNotificationProviderEvent = operation(
  "receiveNotificationProviderEvent",
  async (c, { params }) => {
    const config = getConfig(c.env);
    const body = await readLimited(c.req.raw, EVENT_BODY_LIMIT);
    // The URL the provider signed (Twilio) is the public one, whatever host the request reached.
    const requested = new URL(c.req.url);
    const url = new URL(requested.pathname + requested.search, config.PUBLIC_URL).toString();
    const event = await verifyProviderEvent(params.provider, config, {
      url,
      headers: c.req.raw.headers,
      body,
    });
    return applyProviderEvent(c.env, params.provider, event);
  },
);
