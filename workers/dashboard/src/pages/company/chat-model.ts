// A project chat's state, apart from React: the messages (history pages, live frames and one's own
// sends, each once, oldest first), who has received and read how far, and who is typing.
import type { routes } from "@nexus/contracts";
import type { ResponseOf } from "../../lib/api.ts";

/** A message as the chat API stores it (named by its route: the contracts' name is shared with the LLM gateway's). */
export type StoredMessage = ResponseOf<typeof routes.sendChatMessage>["message"];

/** A message on screen: one the API stored, or one of ours still on its way (or refused). */
export interface ShownMessage extends StoredMessage {
  pending?: "sending" | "failed";
}

/** Message ids are UUIDv7: their order is the order they were stored in. */
const byTime = (a: ShownMessage, b: ShownMessage) =>
  a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);

/**
 * Adds messages to what is shown: a message already there (same id) is not repeated, and a stored
 * message replaces our pending one with the same client_id (the REST answer and the live frame of
 * the same send may arrive in either order).
 */
export function mergeMessages(
  shown: readonly ShownMessage[],
  incoming: readonly ShownMessage[],
): ShownMessage[] {
  const result = [...shown];
  for (const message of incoming) {
    const sameId = result.findIndex((known) => known.id === message.id);
    if (sameId >= 0) {
      if (!message.pending) result[sameId] = message;
      continue;
    }
    const sameSend =
      message.client_id && !message.pending
        ? result.findIndex((known) => known.pending && known.client_id === message.client_id)
        : -1;
    if (sameSend >= 0) result[sameSend] = message;
    else result.push(message);
  }
  return result.sort(byTime);
}

/** How far each other reader has got: the newest message delivered to them and read by them. */
export type Receipts = ReadonlyMap<string, { delivered: string | null; read: string | null }>;

const later = (a: string | null, b: string | null) => (a === null ? b : b === null || a >= b ? a : b);

/** A receipt (live, or a history row) folded in: reading a message also means it was delivered. */
export function addReceipt(
  receipts: Receipts,
  receipt: { user_id: string; message_id: string; status: "delivered" | "read" },
): Receipts {
  const current = receipts.get(receipt.user_id) ?? { delivered: null, read: null };
  const delivered = later(current.delivered, receipt.message_id);
  const read = receipt.status === "read" ? later(current.read, receipt.message_id) : current.read;
  if (delivered === current.delivered && read === current.read) return receipts;
  return new Map(receipts).set(receipt.user_id, { delivered, read });
}

/** The history's receipt rows (per message and reader) folded in. */
export function addHistoryReceipts(
  receipts: Receipts,
  rows: readonly {
    message_id: string;
    user_id: string;
    delivered_at: string | null;
    read_at: string | null;
  }[],
): Receipts {
  let result = receipts;
  for (const row of rows) {
    if (row.read_at) result = addReceipt(result, { ...row, status: "read" });
    else if (row.delivered_at) result = addReceipt(result, { ...row, status: "delivered" });
  }
  return result;
}

export type MessageState =
  | { kind: "sending" | "failed" | "sent" }
  | { kind: "delivered" | "read"; by: string[] };

/**
 * What the sender sees under their own message: read by whom (everyone else who has read this far),
 * else delivered to whom, else sent. Receipts name a message and count for every earlier one.
 */
export function messageState(message: ShownMessage, receipts: Receipts): MessageState {
  if (message.pending) return { kind: message.pending };
  const readers: string[] = [];
  const receivers: string[] = [];
  for (const [userId, progress] of receipts) {
    if (userId === message.sender_id) continue;
    if (progress.read !== null && progress.read >= message.id) readers.push(userId);
    else if (progress.delivered !== null && progress.delivered >= message.id) receivers.push(userId);
  }
  if (readers.length > 0) return { kind: "read", by: readers };
  if (receivers.length > 0) return { kind: "delivered", by: receivers };
  return { kind: "sent" };
}

/** How long a typing frame shows "… is typing" (senders repeat it while they type). */
export const TYPING_SHOWN_MS = 6_000;
/** The least time between two typing frames we send. */
export const TYPING_SEND_EVERY_MS = 3_000;

/** Who is typing now, by name, from the last frame of each (user id → name and when it came). */
export function typingNames(
  typing: ReadonlyMap<string, { name: string; at: number }>,
  now: number,
): string[] {
  return [...typing.values()].filter((entry) => now - entry.at < TYPING_SHOWN_MS).map((entry) => entry.name);
}

/** "Anna is typing…", "Anna and Ben are typing…", "3 people are typing…". */
export function typingSentence(names: readonly string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}
