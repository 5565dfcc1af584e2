import { describe, expect, it } from "vitest";
import {
  addHistoryReceipts,
  addReceipt,
  mergeMessages,
  messageState,
  type Receipts,
  type ShownMessage,
  TYPING_SHOWN_MS,
  typingNames,
  typingSentence,
} from "./chat-model.ts";

const message = (id: string, second: number, extra: Partial<ShownMessage> = {}): ShownMessage => ({
  id,
  conversation_id: "c1",
  sender_id: "me",
  sender_name: "Me",
  body: `text ${id}`,
  client_id: null,
  created_at: `2026-12-07T10:00:${String(second).padStart(2, "0")}.000Z`,
  ...extra,
});

describe("chat messages on screen", () => {
  it("shows each message once, oldest first, whatever order pages and frames come in", () => {
    const shown = mergeMessages([message("m3", 3)], [message("m1", 1), message("m2", 2)]);
    expect(shown.map((entry) => entry.id)).toEqual(["m1", "m2", "m3"]);
    expect(mergeMessages(shown, [message("m2", 2)])).toHaveLength(3);
  });

  it("replaces our pending send with the stored message, from the answer or the live frame", () => {
    const pending = message("local-1", 9, { client_id: "k1", pending: "sending" });
    const stored = message("m9", 5, { client_id: "k1" });
    const afterAnswer = mergeMessages([message("m1", 1), pending], [stored]);
    expect(afterAnswer.map((entry) => entry.id)).toEqual(["m1", "m9"]);
    expect(afterAnswer[1]?.pending).toBeUndefined();
    // The live frame of the same message after the answer changes nothing.
    expect(mergeMessages(afterAnswer, [stored])).toEqual(afterAnswer);
    // Another sender's message with a client_id of theirs is not taken for ours.
    const theirs = message("m8", 6, { client_id: "other", sender_id: "anna" });
    expect(mergeMessages([pending], [theirs])).toHaveLength(2);
  });
});

describe("receipts", () => {
  it("reads as far as the newest message read, and reading implies delivery", () => {
    let receipts: Receipts = new Map();
    receipts = addReceipt(receipts, { user_id: "anna", message_id: "m2", status: "delivered" });
    expect(messageState(message("m1", 1), receipts)).toEqual({ kind: "delivered", by: ["anna"] });
    expect(messageState(message("m3", 3), receipts)).toEqual({ kind: "sent" });
    receipts = addReceipt(receipts, { user_id: "anna", message_id: "m3", status: "read" });
    expect(messageState(message("m1", 1), receipts)).toEqual({ kind: "read", by: ["anna"] });
    expect(messageState(message("m3", 3), receipts)).toEqual({ kind: "read", by: ["anna"] });
    // An older receipt arriving late does not move anyone back.
    expect(addReceipt(receipts, { user_id: "anna", message_id: "m1", status: "delivered" })).toBe(receipts);
  });

  it("ignores the sender's own receipts and folds in history rows", () => {
    const receipts = addHistoryReceipts(new Map(), [
      { message_id: "m2", user_id: "me", delivered_at: "x", read_at: "x" },
      { message_id: "m2", user_id: "ben", delivered_at: "2026-12-07T10:00:00.000Z", read_at: null },
    ]);
    expect(messageState(message("m2", 2), receipts)).toEqual({ kind: "delivered", by: ["ben"] });
    expect(messageState(message("p", 2, { pending: "failed" }), receipts)).toEqual({ kind: "failed" });
  });
});

describe("typing", () => {
  it("shows who typed lately, in a sentence", () => {
    const typing = new Map([
      ["anna", { name: "Anna", at: 1_000 }],
      ["ben", { name: "Ben", at: 1_000 + TYPING_SHOWN_MS }],
    ]);
    expect(typingNames(typing, 2_000)).toEqual(["Anna", "Ben"]);
    expect(typingNames(typing, 1_000 + TYPING_SHOWN_MS + 1)).toEqual(["Ben"]);
    expect(typingSentence([])).toBe("");
    expect(typingSentence(["Anna"])).toBe("Anna is typing…");
    expect(typingSentence(["Anna", "Ben"])).toBe("Anna and Ben are typing…");
    expect(typingSentence(["A", "B", "C"])).toBe("3 people are typing…");
  });
});
