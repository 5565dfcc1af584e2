// One conversation of the caller; someone else's does not exist for them.
import type { ChatConversation } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { companyMember } from "../../../test/users.ts";
import { authCallAdmin } from "../projects/fixtures.ts";
import { chatCompany, chatPath, direct, send } from "./fixtures.ts";

describe("one conversation", () => {
  it("answers a participant with the unread count, and anyone else 404", async () => {
    const { companyId, owner, member, ownerId, memberId } = await chatCompany("get-chat");
    const conversation = await direct(companyId, owner, memberId);
    await send(companyId, owner, conversation.id, "hello");
    const path = chatPath(companyId, `/conversations/${conversation.id}`);
    const got = await json<{ conversation: ChatConversation }>(
      await authCallAdmin(path, undefined, member, "GET"),
    );
    expect(got.conversation).toMatchObject({ id: conversation.id, kind: "direct", unread_count: 1 });
    expect([...got.conversation.participant_ids].sort()).toEqual([ownerId, memberId].sort());
    const outsider = await companyMember(owner, companyId, "kim@get-chat.example");
    await expectError(
      await authCallAdmin(path, undefined, outsider, "GET"),
      404,
      "CHAT_CONVERSATION_NOT_FOUND",
    );
  });
});
