// Sending chat messages against the real tenant D1 and the company's hub: history and receipts across
// two members' sockets, idempotent sends, typing, and offline participants notified (chat.message).
import { env } from "cloudflare:workers";
import type { ChatConversation, ChatConversationMessage } from "@nexus/contracts";
import { openTenantDatabase } from "@nexus/db";
import { beforeEach, describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { companyMember } from "../../../test/users.ts";
import { authCallAdmin } from "../projects/fixtures.ts";
import {
  chatCompany,
  chatPath,
  direct as directIn,
  live as liveIn,
  nextFor,
  send as sendIn,
  welcomed,
} from "./fixtures.ts";

let companyId: string;
let owner: string;
let member: string;
let ownerId: string;
let memberId: string;

beforeEach(async () => {
  ({ companyId, owner, member, ownerId, memberId } = await chatCompany("chat"));
});

const chat = (path: string) => chatPath(companyId, path);
const live = (cookie: string) => liveIn(companyId, cookie);
const direct = (cookie: string, otherId: string) => directIn(companyId, cookie, otherId);
const send = (cookie: string, conversationId: string, text: string, clientId?: string) =>
  sendIn(companyId, cookie, conversationId, text, clientId);

describe("chat messages", () => {
  it("delivers live across two sockets with delivery and read receipts, history and unread counts", async () => {
    const conversation = await direct(owner, memberId);
    const ownerLive = await live(owner);
    const memberLive = await live(member);
    await welcomed(ownerLive);
    expect(await welcomed(memberLive)).toMatchObject({ user_id: memberId, scope: "company" });

    const sent = await send(owner, conversation.id, "Is the tiling done?", "c-1");
    expect(sent.duplicate).toBe(false);
    const pushed = await nextFor(memberLive, "chat.message", conversation.id);
    // The sender's own socket gets it too (their other tabs show it).
    await nextFor(ownerLive, "chat.message", conversation.id, { id: sent.message.id });
    expect(pushed).toMatchObject({
      id: sent.message.id,
      text: "Is the tiling done?",
      from: { type: "dashboard", id: ownerId },
      message: { id: sent.message.id, sender_id: ownerId, body: "Is the tiling done?", client_id: "c-1" },
    });

    // Sent again after a dropped connection: the same message, not a second one, and no second push.
    const resent = await send(owner, conversation.id, "Is the tiling done?", "c-1");
    expect(resent).toMatchObject({ duplicate: true, message: { id: sent.message.id } });

    // The recipient's device acks: the sender hears "delivered".
    memberLive.ws.send(
      JSON.stringify({
        type: "chat.delivered",
        conversation_id: conversation.id,
        message_id: sent.message.id,
      }),
    );
    expect(await nextFor(ownerLive, "chat.receipt", conversation.id, { user_id: memberId })).toMatchObject({
      message_id: sent.message.id,
      user_id: memberId,
      status: "delivered",
    });

    const second = await send(owner, conversation.id, "And the grout?");
    await nextFor(memberLive, "chat.message", conversation.id);
    const listed = await json<{ conversations: ChatConversation[] }>(
      await authCallAdmin(chat("/conversations"), undefined, member, "GET"),
    );
    expect(listed.conversations).toEqual([
      expect.objectContaining({
        id: conversation.id,
        unread_count: 2,
        last_message: expect.objectContaining({ id: second.message.id }),
      }),
    ]);

    // Read over the socket: everything up to the second message, told to the sender.
    memberLive.ws.send(
      JSON.stringify({ type: "chat.read", conversation_id: conversation.id, message_id: second.message.id }),
    );
    expect(await nextFor(ownerLive, "chat.receipt", conversation.id, { user_id: memberId })).toMatchObject({
      message_id: second.message.id,
      user_id: memberId,
      status: "read",
    });

    const reply = await send(member, conversation.id, "Both done.");
    expect(await nextFor(ownerLive, "chat.message", conversation.id, { id: reply.message.id })).toMatchObject(
      {
        text: "Both done.",
        from: { id: memberId },
      },
    );
    // Read over REST.
    const read = await authCallAdmin(
      chat(`/conversations/${conversation.id}/read`),
      { message_id: reply.message.id },
      owner,
    );
    expect(await json(read)).toMatchObject({ marked: 1, unread_count: 0 });
    expect(await nextFor(memberLive, "chat.receipt", conversation.id, { user_id: ownerId })).toMatchObject({
      message_id: reply.message.id,
      user_id: ownerId,
      status: "read",
    });

    // History: newest first, pages by cursor, with receipts.
    const page = await json<{
      messages: ChatConversationMessage[];
      next_cursor: string | null;
      receipts: {
        message_id: string;
        user_id: string;
        delivered_at: string | null;
        read_at: string | null;
      }[];
    }>(
      await authCallAdmin(
        chat(`/conversations/${conversation.id}/messages?limit=2`),
        undefined,
        member,
        "GET",
      ),
    );
    expect(page.messages.map((m) => m.body)).toEqual(["Both done.", "And the grout?"]);
    expect(page.next_cursor).toBe(second.message.id);
    expect(page.receipts).toContainEqual(
      expect.objectContaining({
        message_id: second.message.id,
        user_id: memberId,
        read_at: expect.any(String),
      }),
    );
    const older = await json<{ messages: ChatConversationMessage[]; next_cursor: string | null }>(
      await authCallAdmin(
        chat(`/conversations/${conversation.id}/messages?limit=2&cursor=${page.next_cursor}`),
        undefined,
        member,
        "GET",
      ),
    );
    expect(older).toMatchObject({ messages: [{ id: sent.message.id }], next_cursor: null });
    const caughtUp = await json<{ messages: ChatConversationMessage[] }>(
      await authCallAdmin(
        chat(`/conversations/${conversation.id}/messages?after=${sent.message.id}`),
        undefined,
        member,
        "GET",
      ),
    );
    expect(caughtUp.messages.map((m) => m.body)).toEqual(["And the grout?", "Both done."]);

    const db = await openTenantDatabase(env, env.CENTRAL_DB, companyId);
    const receipts = await db
      .prepare("SELECT delivered_at, read_at FROM chat_receipts WHERE message_id = ? AND user_id = ?")
      .bind(sent.message.id, memberId)
      .first<{ delivered_at: number | null; read_at: number | null }>();
    expect(receipts?.delivered_at).toEqual(expect.any(Number));
    expect(receipts?.read_at).toEqual(expect.any(Number));
    // Both were connected: nobody was notified offline (no workflow was triggered at all).
    const notified = await db
      .prepare("SELECT count(*) AS n FROM notification_messages WHERE idempotency_key LIKE 'chat:%'")
      .first<{ n: number }>();
    expect(notified?.n).toBe(0);
    ownerLive.ws.close();
    memberLive.ws.close();
  });

  it("relays typing to the other participant only, and keeps it out of other people's sockets", async () => {
    const conversation = await direct(owner, memberId);
    const outsider = await companyMember(owner, companyId, "kim@chat.example");
    const ownerLive = await live(owner);
    const memberLive = await live(member);
    const outsiderLive = await live(outsider);
    for (const socket of [ownerLive, memberLive, outsiderLive]) await welcomed(socket);

    memberLive.ws.send(JSON.stringify({ type: "chat.typing", conversation_id: conversation.id }));
    expect(await nextFor(ownerLive, "chat.typing", conversation.id)).toEqual({
      type: "chat.typing",
      conversation_id: conversation.id,
      user_id: memberId,
    });
    // Someone outside the pair can neither hear the typing nor send it (to them it does not exist).
    outsiderLive.ws.send(JSON.stringify({ type: "chat.typing", conversation_id: conversation.id }));
    expect(await outsiderLive.next("error")).toMatchObject({ code: "CHAT_CONVERSATION_NOT_FOUND" });
    await send(owner, conversation.id, "ping");
    await nextFor(memberLive, "chat.message", conversation.id);
    expect(outsiderLive.messages.filter((m) => m.type.startsWith("chat."))).toEqual([]);
    expect(memberLive.messages.filter((m) => m.type === "chat.typing")).toEqual([]);
    await expectError(
      await authCallAdmin(chat(`/conversations/${conversation.id}/messages`), undefined, outsider, "GET"),
      404,
      "CHAT_CONVERSATION_NOT_FOUND",
    );
    for (const socket of [ownerLive, memberLive, outsiderLive]) socket.ws.close();
  });

  it("notifies a participant with no open socket through the chat.message workflow", async () => {
    const conversation = await direct(owner, memberId);
    const sent = await send(owner, conversation.id, "Call me when you can");
    const db = await openTenantDatabase(env, env.CENTRAL_DB, companyId);
    let rows: { recipient_key: string; channel: string }[] = [];
    for (let tries = 0; tries < 50 && rows.length === 0; tries++) {
      rows = (
        await db
          .prepare(
            "SELECT recipient_key, channel FROM notification_messages WHERE workflow_key = 'chat.message' AND idempotency_key = ?",
          )
          .bind(`chat:${sent.message.id}`)
          .all<{ recipient_key: string; channel: string }>()
      ).results;
      if (rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The workflow's channels (push, email) and the member's preferences decide how.
    expect(rows.filter((row) => row.recipient_key === `user:${memberId}`).length).toBeGreaterThan(0);
    // The sender is never notified of their own message.
    expect(rows.filter((row) => row.recipient_key === `user:${ownerId}`)).toEqual([]);
  });
});
