import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import {
  callAs,
  insertMessage,
  notificationsPath,
  notifyCompany,
} from "../notification-preferences/fixtures.ts";

describe("POST …/notifications/inbox/{messageId}/archive", () => {
  it("archives the caller's item (reading it), moving it out of the inbox; another user's is not found", async () => {
    const s = await notifyCompany("inbox-archive");
    const id = await insertMessage(s.companyId, { recipientKey: `user:${s.memberId}` });
    const path = `${notificationsPath(s.companyId)}/inbox/${id}/archive`;
    await expectError(await callAs(s.owner, path, { method: "POST" }), 404, "NOTIFICATION_MESSAGE_NOT_FOUND");
    const answer = await json<{
      item: { read_at: string | null; archived_at: string | null };
      unread_count: number;
    }>(await callAs(s.member, path, { method: "POST" }));
    expect(answer.item.archived_at).not.toBeNull();
    expect(answer.item.read_at).not.toBeNull();
    expect(answer.unread_count).toBe(0);
    const inbox = await json<{ items: unknown[] }>(
      await callAs(s.member, `${notificationsPath(s.companyId)}/inbox`),
    );
    expect(inbox.items).toEqual([]);
  });
});
