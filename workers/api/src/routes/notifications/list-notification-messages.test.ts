// The notification history: newest first, each filter narrowing it, a cursor walking every page
// once, readable by members (notifications:read), and only ever the company's own messages.
import type { NotificationMessageList } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { apiKey, notifyCompany, rivalCompany, trigger } from "./fixtures.ts";

const messagesPath = (companyId: string, query = "") =>
  `/api/admin/companies/${companyId}/notifications/messages${query}`;

async function list(companyId: string, query = "", auth: { cookie?: string } = {}) {
  const response = auth.cookie
    ? await call(messagesPath(companyId, query), { headers: { cookie: auth.cookie } })
    : await callAsOperator(messagesPath(companyId, query));
  expect(response.status, await response.clone().text()).toBe(200);
  return json<NotificationMessageList>(response);
}

describe("GET /api/admin/companies/{id}/notifications/messages", () => {
  it("filters by status, channel, recipient, workflow and date, and pages with a cursor", async () => {
    const acme = await notifyCompany("nh");
    const assigned = await trigger(acme.companyId, {
      workflow: "project.assigned",
      to: [{ user_id: acme.memberId }, { email: "Client@NH.example" }],
      payload: { project: { name: "Kitchen", stage: "Survey" } },
    });
    const invited = await trigger(acme.companyId, {
      workflow: "member.invited",
      to: [{ user_id: acme.ownerId }],
      payload: { email: "a@nh.example", role: "member" },
    });
    const all = await list(acme.companyId);
    const ids = [...assigned.messages, ...invited.messages].map((m) => m.id);
    expect(all.messages.map((m) => m.id).sort()).toEqual([...ids].sort());
    // Newest first: ids are time-ordered.
    expect(all.messages.map((m) => m.id)).toEqual([...ids].sort().reverse());

    const emails = await list(acme.companyId, "?channel=email");
    expect(emails.messages.map((m) => m.recipient_key).sort()).toEqual(
      ["email:client@nh.example", `user:${acme.memberId}`].sort(),
    );
    const notSent = await list(acme.companyId, "?status=not_sent");
    expect(notSent.messages.map((m) => [m.channel, m.status_reason])).toEqual([
      ["push", "no push subscription"],
    ]);
    // A bare address or user id finds the recipient's key.
    expect((await list(acme.companyId, "?recipient=client@nh.example")).messages).toHaveLength(1);
    expect((await list(acme.companyId, `?recipient=${acme.memberId}`)).messages).toHaveLength(3);
    expect((await list(acme.companyId, "?workflow=member.invited")).messages.map((m) => m.id)).toEqual(
      invited.messages.map((m) => m.id),
    );
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await list(acme.companyId, `?from=${future}`)).messages).toEqual([]);
    expect((await list(acme.companyId, `?to=${future}`)).messages).toHaveLength(ids.length);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: NotificationMessageList = await list(
        acme.companyId,
        `?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.messages.length).toBeLessThanOrEqual(2);
      seen.push(...page.messages.map((m) => m.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.messages.map((m) => m.id));

    await expectError(
      await callAsOperator(messagesPath(acme.companyId, "?status=maybe")),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("lets members read the history, refuses keys without notifications:read, and shows no other company's", async () => {
    const acme = await notifyCompany("nh-access");
    await trigger(acme.companyId, { workflow: "member.invited", to: [{ role: "owner" }], payload: {} });
    expect((await list(acme.companyId, "", { cookie: acme.memberCookie })).messages).toHaveLength(1);
    const sender = await apiKey(acme.companyId, { notifications: ["send"] });
    await expectError(await call(messagesPath(acme.companyId), { token: sender }), 403, "FORBIDDEN");
    const rival = await rivalCompany("nh-access-rival");
    expect((await list(rival.companyId)).messages).toEqual([]);
  });
});
