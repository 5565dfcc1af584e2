// POST /api/webhooks/{provider}: verify, keep the event with its processing state, enqueue, answer.
// The work (e.g. Stripe billing) happens in the `nexus-events` consumer (workers/consumers), so the sender
// gets its 200 in milliseconds and a slow step never makes it time out and resend.
import { routes } from "@nexus/contracts";
import { Hono } from "hono";
import { type AppEnv, getConfig } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { readLimited } from "../../lib/json-body.ts";
import { honoPath, validParams } from "../../lib/route.ts";
import { inboundVerifier, receiveInbound } from "../../services/inbound-webhooks.ts";

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
        `This deployment does not receive webhooks from "${provider}". See docs/configuration.md.`,
      );
    }
    const body = await readLimited(c.req.raw, INBOUND_BODY_LIMIT);
    // The URL the sender signed (Twilio) is the public one, whatever host the request reached.
    const requested = new URL(c.req.url);
    const url = new URL(requested.pathname + requested.search, config.PUBLIC_URL).toString();
    const verified = await verify({ url, headers: c.req.raw.headers, body }, Math.floor(Date.now() / 1000));
    const receipt = await receiveInbound(c.get("db"), c.env.EVENTS_QUEUE, provider, verified, body);
    return c.json({ success: true as const, event_id: verified.eventId, ...receipt });
  },
);
