import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { callAs, notifyCompany } from "../notification-preferences/fixtures.ts";
import { browserKeys, subscribe, subscriptionsPath } from "./fixtures.ts";

describe("DELETE …/notifications/push-subscriptions/{subscriptionId}", () => {
  it("removes the caller's subscription; another user's is not found and stays", async () => {
    const s = await notifyCompany("push-delete");
    const created = await json<{ subscription: { id: string } }>(
      await subscribe(s.member, s.companyId, {
        endpoint: "https://push.example.com/d1",
        keys: await browserKeys(),
      }),
    );
    const path = `${subscriptionsPath(s.companyId)}/${created.subscription.id}`;
    await expectError(await callAs(s.owner, path, { method: "DELETE" }), 404, "PUSH_SUBSCRIPTION_NOT_FOUND");
    const deleted = await callAs(s.member, path, { method: "DELETE" });
    expect(deleted.status, await deleted.clone().text()).toBe(200);
    await expectError(await callAs(s.member, path, { method: "DELETE" }), 404, "PUSH_SUBSCRIPTION_NOT_FOUND");
    const left = await json<{ subscriptions: unknown[] }>(
      await callAs(s.member, subscriptionsPath(s.companyId)),
    );
    expect(left.subscriptions).toEqual([]);
  });
});
