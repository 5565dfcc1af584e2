// History pages: newest first by cursor, or catching up with `after`; never both.
import type { ChatConversationMessage } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { authCallAdmin } from "../projects/fixtures.ts";
import { chatCompany, chatPath, direct, send } from "./fixtures.ts";

describe("chat history", () => {
  it("pages back by cursor and catches up after a message", async () => {
    const { companyId, owner, member, memberId } = await chatCompany("history-chat");
    const conversation = await direct(companyId, owner, memberId);
    const sent: string[] = [];
    for (const text of ["one", "two", "three", "four", "five"]) {
      sent.push((await send(companyId, owner, conversation.id, text)).message.id);
    }
    const page = (query: string) =>
      authCallAdmin(
        chatPath(companyId, `/conversations/${conversation.id}/messages${query}`),
        undefined,
        member,
        "GET",
      );
    const bodies = async (query: string) => {
      const answer = await json<{ messages: ChatConversationMessage[]; next_cursor: string | null }>(
        await page(query),
      );
      return { bodies: answer.messages.map((m) => m.body), next: answer.next_cursor };
    };
    const first = await bodies("?limit=2");
    expect(first).toEqual({ bodies: ["five", "four"], next: sent[3] });
    expect(await bodies(`?limit=2&cursor=${first.next}`)).toEqual({
      bodies: ["three", "two"],
      next: sent[1],
    });
    expect(await bodies(`?limit=2&cursor=${sent[1]}`)).toEqual({ bodies: ["one"], next: null });
    expect(await bodies(`?after=${sent[2]}`)).toEqual({ bodies: ["four", "five"], next: null });
    await expectError(await page(`?after=${sent[0]}&cursor=${sent[4]}`), 400, "VALIDATION_FAILED");
  });
});
