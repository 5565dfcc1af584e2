// A real queue binding with every message it accepts noted, or one that is down (fault injection):
// handed to the worker in place of its binding with callWithEnv.
import { env } from "cloudflare:workers";

export function watchedQueue(real: Queue = env.EVENTS_QUEUE, down = false) {
  const sent: unknown[] = [];
  const refuse = () => {
    if (down) throw new Error("Queue send failed: service unavailable");
  };
  const queue: Queue = {
    metrics: () => real.metrics(),
    send(body, options) {
      refuse();
      sent.push(body);
      return real.send(body, options);
    },
    sendBatch(messages, options) {
      refuse();
      const list = [...messages];
      for (const message of list) sent.push(message.body);
      return real.sendBatch(list, options);
    },
  };
  return { queue, sent };
}
