// When the delivery consumer disables an endpoint that failed every delivery for days, the company's
// owners and admins are told through the notifications service: a `trigger` message on the API's
// notifications queue (the API's runTrigger runs the built-in `webhook.endpoint_failing` workflow).
// A queue that refuses is logged: the disabling stands either way and shows on the endpoint.

export interface EndpointFailingEnv {
  /** The API's notifications queue (absent in setups without notifications). */
  NOTIFICATIONS_QUEUE?: Queue;
}

export async function reportFailingEndpoint(
  env: EndpointFailingEnv,
  endpoint: { companyId: string; endpointId: string; url: string },
  lastError: string | null,
  now: number,
): Promise<void> {
  if (!env.NOTIFICATIONS_QUEUE) return;
  try {
    await env.NOTIFICATIONS_QUEUE.send(
      {
        kind: "trigger",
        company_id: endpoint.companyId,
        workflow: "webhook.endpoint_failing",
        to: [{ role: "owner" }, { role: "admin" }],
        payload: {
          endpoint: { id: endpoint.endpointId, url: endpoint.url },
          disabled: true,
          last_error: lastError,
          disabled_at: new Date(now).toISOString(),
        },
        // An endpoint is disabled once per failing streak: its id and the moment name the event.
        idempotency_key: `webhook:${endpoint.endpointId}:disabled:${now}`,
        actor: "system:webhooks",
      },
      { contentType: "json" },
    );
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "warn",
        event: "webhook_endpoint_failing_notify_failed",
        endpoint_id: endpoint.endpointId,
        error: String(error),
      }),
    );
  }
}
