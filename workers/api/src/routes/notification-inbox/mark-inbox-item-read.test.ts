import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import {
  callAs,
  insertMessage,
  notificationsPath,
  notifyCompany,
} from "../notification-preferences/fixtures.ts";

interface Answer {
  item: { id: string; read_at: string | null };
  unread_count: number;
}

describe("POST …/notifications/inbox/{messageId}/read", () => {
  it("marks the caller's item read (once: the first read time stays)", async () => {
    const s = await notifyCompany("inbox-read", { member: false });
    const me = `user:${s.ownerId}`;
    const id = await insertMessage(s.companyId, { recipientKey: me });
    await insertMessage(s.companyId, { recipientKey: me });
    const path = `${notificationsPath(s.companyId)}/inbox/${id}/read`;
    const first = await json<Answer>(await callAs(s.owner, path, { method: "POST" }));
    expect(first.item.read_at).not.toBeNull();
    expect(first.unread_count).toBe(1);
    const again = await json<Answer>(await callAs(s.owner, path, { method: "POST" }));
    expect(again.item.read_at).toBe(first.item.read_at);
  });

  it("answers 404 for another user's message, and leaves it unread (the attack)", async () => {
    const s = await notifyCompany("inbox-read-attack");
    const ownersItem = await insertMessage(s.companyId, { recipientKey: `user:${s.ownerId}` });
    const path = (id: string) => `${notificationsPath(s.companyId)}/inbox/${id}/read`;
    await expectError(
      await callAs(s.member, path(ownersItem), { method: "POST" }),
      404,
      "NOTIFICATION_MESSAGE_NOT_FOUND",
    );
    await expectError(
      await callAs(s.member, path("no-such-message"), { method: "POST" }),
      404,
      "NOTIFICATION_MESSAGE_NOT_FOUND",
    );
    const owner = await json<{ unread_count: number }>(
      await callAs(s.owner, `${notificationsPath(s.companyId)}/inbox`),
    );
    expect(owner.unread_count).toBe(1);
  });
});
