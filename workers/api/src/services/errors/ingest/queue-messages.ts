// Cutting an envelope's items into ErrorsQueueMessages: one message per envelope, as the consumer
// expects, unless the items cannot share one (a queue message is at most 128 KB): events are first
// shrunk to fit beside the envelope's session updates, and only an envelope with more session data
// than a message holds is spread over several. Pure.
import { type ErrorQueueItem, type ErrorsQueueMessage, QUEUE_MESSAGE_MAX_BYTES } from "@nexus/contracts";
import { fitEvent } from "./normalize-event.ts";

const encoder = new TextEncoder();
const sizeOf = (value: unknown) => encoder.encode(JSON.stringify(value)).byteLength;

/** What one event may take of a message at least, however many session updates share it. */
const MIN_EVENT_BYTES = 32 * 1024;

export function queueMessages(
  base: Omit<ErrorsQueueMessage, "items">,
  items: ErrorQueueItem[],
  maxBytes = QUEUE_MESSAGE_MAX_BYTES,
): ErrorsQueueMessage[] {
  const events = items.filter((item) => item.type === "event");
  const others = items.filter((item) => item.type !== "event");
  const room = maxBytes - sizeOf({ ...base, items: others });
  const perEvent = Math.max(MIN_EVENT_BYTES, Math.floor(room / Math.max(1, events.length)));
  const fitted: ErrorQueueItem[] = [
    ...events.map((item) =>
      item.type === "event" ? { ...item, event: fitEvent(item.event, perEvent) } : item,
    ),
    ...others,
  ];
  const messages: ErrorsQueueMessage[] = [];
  let current: ErrorQueueItem[] = [];
  let size = sizeOf({ ...base, items: [] });
  const empty = size;
  for (const item of fitted) {
    const itemSize = sizeOf(item) + 1;
    if (current.length > 0 && size + itemSize > maxBytes) {
      messages.push({ ...base, items: current });
      current = [];
      size = empty;
    }
    current.push(item);
    size += itemSize;
  }
  if (current.length > 0) messages.push({ ...base, items: current });
  return messages;
}
