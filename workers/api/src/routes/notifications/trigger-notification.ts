// Sends a workflow to recipients. The Idempotency-Key header names the trigger: a repeat (even a
// concurrent one) stores and queues nothing new and answers 200 with the first request's messages.
import { operation, withStatus } from "../../lib/operation.ts";
import { actorOf, idempotencyKeyFrom, triggerWorkflow } from "../../services/notifications/trigger.ts";

export const triggerNotification = operation("triggerNotification", async (c, { params, body, caller }) => {
  const result = await triggerWorkflow(
    c.env,
    params.companyId,
    {
      workflow: body.workflow,
      to: body.to,
      payload: body.payload,
      idempotencyKey: idempotencyKeyFrom(c.req.header("idempotency-key")),
    },
    actorOf(caller),
  );
  const reply = { success: true as const, duplicate: result.duplicate, messages: result.messages };
  if (result.duplicate) {
    c.header("Idempotent-Replayed", "true");
    return withStatus(200, reply);
  }
  return reply;
});
