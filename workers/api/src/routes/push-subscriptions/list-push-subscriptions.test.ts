import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { callAs, notifyCompany } from "../notification-preferences/fixtures.ts";
import { browserKeys, subscribe, subscriptionsPath } from "./fixtures.ts";

describe("GET …/notifications/push-subscriptions", () => {
  it("lists the caller's own subscriptions only, without their keys", async () => {
    const s = await notifyCompany("push-list");
    for (const [cookie, endpoint] of [
      [s.member, "https://push.example.com/m1"],
      [s.member, "https://push.example.com/m2"],
      [s.owner, "https://push.example.com/o1"],
    ] as const) {
      expect((await subscribe(cookie, s.companyId, { endpoint, keys: await browserKeys() })).status).toBe(
        201,
      );
    }
    const mine = await json<{ subscriptions: Record<string, unknown>[] }>(
      await callAs(s.member, subscriptionsPath(s.companyId)),
    );
    expect(mine.subscriptions.map((x) => x.endpoint).sort()).toEqual([
      "https://push.example.com/m1",
      "https://push.example.com/m2",
    ]);
    expect(mine.subscriptions[0]).not.toHaveProperty("keys");
    await expectError(await callAsOperator(subscriptionsPath(s.companyId)), 403, "FORBIDDEN");
  });
});
