import { describe, expect, it } from "vitest";
import { json } from "../../../test/helpers.ts";
import {
  callAs,
  insertMessage,
  notificationsPath,
  notifyCompany,
} from "../notification-preferences/fixtures.ts";

describe("POST …/notifications/inbox/read-all", () => {
  it("reads every unread item of the caller, and nobody else's", async () => {
    const s = await notifyCompany("inbox-read-all");
    for (let i = 0; i < 3; i++) await insertMessage(s.companyId, { recipientKey: `user:${s.memberId}` });
    await insertMessage(s.companyId, { recipientKey: `user:${s.memberId}`, readAt: Date.now() });
    await insertMessage(s.companyId, { recipientKey: `user:${s.ownerId}` });
    const answer = await json<{ updated: number; unread_count: number }>(
      await callAs(s.member, `${notificationsPath(s.companyId)}/inbox/read-all`, { method: "POST" }),
    );
    expect(answer).toMatchObject({ updated: 3, unread_count: 0 });
    const owner = await json<{ unread_count: number }>(
      await callAs(s.owner, `${notificationsPath(s.companyId)}/inbox`),
    );
    expect(owner.unread_count).toBe(1);
  });
});
