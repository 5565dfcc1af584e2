import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import {
  callAs,
  insertMessage,
  notificationsPath,
  notifyCompany,
} from "../notification-preferences/fixtures.ts";

interface Page {
  items: {
    id: string;
    subject: string | null;
    read_at: string | null;
    archived_at: string | null;
    data: unknown;
  }[];
  unread_count: number;
  next_cursor: string | null;
}

describe("GET …/notifications/inbox", () => {
  it("lists the caller's delivered in-app messages newest first, with a cursor, filters and the unread count", async () => {
    const s = await notifyCompany("inbox-list");
    const me = `user:${s.memberId}`;
    const t = Date.now() - 60_000;
    const ids = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        await insertMessage(s.companyId, { recipientKey: me, subject: `item ${i}`, createdAt: t + i * 1000 }),
      );
    }
    await insertMessage(s.companyId, { recipientKey: me, subject: "read", readAt: t, createdAt: t + 5000 });
    await insertMessage(s.companyId, {
      recipientKey: me,
      subject: "archived",
      readAt: t,
      archivedAt: t,
      createdAt: t + 6000,
    });
    // Not inbox items: someone else's, another channel, one still held, one batched into a digest.
    await insertMessage(s.companyId, { recipientKey: `user:${s.ownerId}`, subject: "owner's" });
    await insertMessage(s.companyId, { recipientKey: me, channel: "email", subject: "mail" });
    await insertMessage(s.companyId, {
      recipientKey: me,
      status: "queued",
      scheduledFor: Date.now() + 3_600_000,
    });
    await insertMessage(s.companyId, { recipientKey: me, status: "sent", statusReason: "in digest x" });

    const inbox = (query = "") => callAs(s.member, `${notificationsPath(s.companyId)}/inbox${query}`);
    const first = await json<Page>(await inbox("?limit=4"));
    expect(first.items.map((i) => i.subject)).toEqual(["read", "item 4", "item 3", "item 2"]);
    expect(first.unread_count).toBe(5);
    expect(first.items[1]?.data).toEqual({ project: { id: "prj_1" } });
    const second = await json<Page>(await inbox(`?limit=4&cursor=${first.next_cursor}`));
    expect(second.items.map((i) => i.subject)).toEqual(["item 1", "item 0"]);
    expect(second.next_cursor).toBeNull();

    const unread = await json<Page>(await inbox("?filter=unread"));
    expect(unread.items.map((i) => i.subject)).toEqual(["item 4", "item 3", "item 2", "item 1", "item 0"]);
    const archived = await json<Page>(await inbox("?filter=archived"));
    expect(archived.items.map((i) => i.subject)).toEqual(["archived"]);
    expect(archived.items[0]?.archived_at).not.toBeNull();

    // The owner sees only their own.
    const owner = await json<Page>(await callAs(s.owner, `${notificationsPath(s.companyId)}/inbox`));
    expect(owner.items.map((i) => i.subject)).toEqual(["owner's"]);
    expect(ids).toHaveLength(5);
  });

  it("refuses an unknown filter", async () => {
    const s = await notifyCompany("inbox-list-bad", { member: false });
    await expectError(
      await callAs(s.owner, `${notificationsPath(s.companyId)}/inbox?filter=everything`),
      400,
      "VALIDATION_FAILED",
    );
  });
});
