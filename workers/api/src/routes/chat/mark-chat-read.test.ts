// Marking read up to a message: unread counts fall, receipts are written once.
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { companyMember } from "../../../test/users.ts";
import { authCallAdmin } from "../projects/fixtures.ts";
import { chatCompany, chatPath, direct, send } from "./fixtures.ts";

describe("marking read", () => {
  it("reads up to the message named, counts what became read, and ignores the caller's own", async () => {
    const { companyId, owner, member, memberId } = await chatCompany("read-chat");
    const conversation = await direct(companyId, owner, memberId);
    const one = await send(companyId, owner, conversation.id, "one");
    const two = await send(companyId, owner, conversation.id, "two");
    await send(companyId, member, conversation.id, "mine");
    const three = await send(companyId, owner, conversation.id, "three");
    const read = (messageId: string, cookie = member) =>
      authCallAdmin(
        chatPath(companyId, `/conversations/${conversation.id}/read`),
        { message_id: messageId },
        cookie,
      );

    expect(await json(await read(two.message.id))).toMatchObject({ marked: 2, unread_count: 1 });
    expect(await json(await read(one.message.id))).toMatchObject({ marked: 0, unread_count: 1 });
    expect(await json(await read(three.message.id))).toMatchObject({ marked: 1, unread_count: 0 });
    const outsider = await companyMember(owner, companyId, "kim@read-chat.example");
    await expectError(await read(three.message.id, outsider), 404, "CHAT_CONVERSATION_NOT_FOUND");
  });
});
