import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import {
  callAs,
  insertMessage,
  notificationsPath,
  notifyCompany,
} from "../notification-preferences/fixtures.ts";

describe("POST …/notifications/inbox/{messageId}/unread", () => {
  it("marks a read item unread again; another user's is not found", async () => {
    const s = await notifyCompany("inbox-unread");
    const id = await insertMessage(s.companyId, { recipientKey: `user:${s.memberId}`, readAt: Date.now() });
    const path = `${notificationsPath(s.companyId)}/inbox/${id}/unread`;
    const answer = await json<{ item: { read_at: string | null }; unread_count: number }>(
      await callAs(s.member, path, { method: "POST" }),
    );
    expect(answer.item.read_at).toBeNull();
    expect(answer.unread_count).toBe(1);
    await expectError(await callAs(s.owner, path, { method: "POST" }), 404, "NOTIFICATION_MESSAGE_NOT_FOUND");
  });
});
