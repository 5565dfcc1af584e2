// Direct conversations: one per pair of members, created on first use.
import { describe, expect, it } from "vitest";
import { expectError } from "../../../test/helpers.ts";
import { authCallAdmin } from "../projects/fixtures.ts";
import { chatCompany, chatPath, direct as directIn } from "./fixtures.ts";

describe("direct conversations", () => {
  it("keeps one conversation per pair, and refuses oneself and non-members", async () => {
    const { companyId, owner, member, ownerId, memberId } = await chatCompany("direct-chat");
    const chat = (path: string) => chatPath(companyId, path);
    const direct = (cookie: string, otherId: string) => directIn(companyId, cookie, otherId);
    const first = await direct(owner, memberId);
    const again = await direct(member, ownerId);
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ kind: "direct", project_id: null, unread_count: 0, last_message: null });
    expect([...first.participant_ids].sort()).toEqual([ownerId, memberId].sort());
    await expectError(
      await authCallAdmin(chat("/conversations"), { user_id: ownerId }, owner),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await authCallAdmin(chat("/conversations"), { user_id: "not-a-member" }, owner),
      400,
      "VALIDATION_FAILED",
    );
  });
});
