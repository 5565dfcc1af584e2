// The caller's conversations: most recent first, with unread counts and the last message.
import type { ChatConversation } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { json } from "../../../test/helpers.ts";
import { companyMember } from "../../../test/users.ts";
import { authCallAdmin, userId } from "../projects/fixtures.ts";
import { chatCompany, chatPath, direct, send } from "./fixtures.ts";

describe("listing conversations", () => {
  it("lists the caller's own, most recent first, with unread counts", async () => {
    const { companyId, owner, member, memberId } = await chatCompany("list-chat");
    await companyMember(owner, companyId, "kim@list-chat.example");
    const kimId = await userId("kim@list-chat.example");
    const withSam = await direct(companyId, owner, memberId);
    const withKim = await direct(companyId, owner, kimId);
    await send(companyId, owner, withKim.id, "first");
    const latest = await send(companyId, member, withSam.id, "later");

    const listed = async (cookie: string) =>
      (
        await json<{ conversations: ChatConversation[] }>(
          await authCallAdmin(chatPath(companyId, "/conversations"), undefined, cookie, "GET"),
        )
      ).conversations;
    expect((await listed(owner)).map((c) => [c.id, c.unread_count, c.last_message?.id])).toEqual([
      [withSam.id, 1, latest.message.id],
      [withKim.id, 0, expect.any(String)],
    ]);
    // Sam is not in Owner–Kim: he sees only his own.
    expect((await listed(member)).map((c) => [c.id, c.unread_count])).toEqual([[withSam.id, 0]]);
  });
});
