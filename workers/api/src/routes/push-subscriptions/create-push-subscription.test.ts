import { base64Url } from "@nexus/security";
import { describe, expect, it } from "vitest";
import { callWithEnv, expectError, issuePaths, json } from "../../../test/helpers.ts";
import { callAs, notifyCompany } from "../notification-preferences/fixtures.ts";
import { browserKeys, subscribe, subscriptionsPath } from "./fixtures.ts";

interface Created {
  subscription: { id: string; endpoint: string; kind: string; user_agent: string | null };
}

describe("POST …/notifications/push-subscriptions", () => {
  it("registers the caller's subscription; the same endpoint again updates it and moves it to the new caller", async () => {
    const s = await notifyCompany("push-create");
    const endpoint = "https://push.example.com/push/abc123";
    const created = await subscribe(s.member, s.companyId, {
      endpoint,
      keys: await browserKeys(),
      kind: "mobile",
      user_agent: "NexusInstaller/2.1",
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const first = await json<Created>(created);
    expect(first.subscription).toMatchObject({ endpoint, kind: "mobile", user_agent: "NexusInstaller/2.1" });

    // The owner signs in on the same device: one row, now the owner's.
    const again = await json<Created>(
      await subscribe(s.owner, s.companyId, { endpoint, keys: await browserKeys() }),
    );
    expect(again.subscription.id).toBe(first.subscription.id);
    expect(again.subscription.kind).toBe("browser");
    const list = (cookie: string) =>
      callAs(cookie, subscriptionsPath(s.companyId)).then((r) =>
        json<{ subscriptions: { id: string }[] }>(r),
      );
    expect((await list(s.member)).subscriptions).toEqual([]);
    expect((await list(s.owner)).subscriptions.map((x) => x.id)).toEqual([first.subscription.id]);
  });

  it("checks the keys' lengths and the endpoint against the webhook URL policy", async () => {
    const s = await notifyCompany("push-create-bad", { member: false });
    const keys = await browserKeys();
    const bytes = (n: number) => base64Url(crypto.getRandomValues(new Uint8Array(n)));
    const cases: [Record<string, unknown>, string][] = [
      [{ endpoint: "https://push.example.com/1", keys: { ...keys, p256dh: bytes(64) } }, "keys.p256dh"],
      // 65 bytes but not an uncompressed point (first byte 0x04).
      [
        { endpoint: "https://push.example.com/1", keys: { ...keys, p256dh: `A${keys.p256dh.slice(1)}` } },
        "keys.p256dh",
      ],
      [{ endpoint: "https://push.example.com/1", keys: { ...keys, auth: bytes(17) } }, "keys.auth"],
      [{ endpoint: "https://push.example.com/1", keys: { ...keys, auth: "not base64url!" } }, "keys.auth"],
      [{ endpoint: "not a url", keys }, "endpoint"],
      [{ endpoint: "https://push.example.com/1", keys, kind: "fridge" }, "kind"],
    ];
    for (const [body, path] of cases) {
      const error = await expectError(await subscribe(s.owner, s.companyId, body), 400, "VALIDATION_FAILED");
      expect(issuePaths(error), JSON.stringify(body)).toContain(path);
    }
    for (const endpoint of [
      "http://push.example.com/1",
      "https://127.0.0.1/push",
      "https://localhost/push",
    ]) {
      await expectError(
        await subscribe(s.owner, s.companyId, { endpoint, keys }),
        422,
        "WEBHOOK_URL_NOT_ALLOWED",
      );
    }
    // Development: http on a local host is fine under WEBHOOK_URL_POLICY=local.
    const local = await callWithEnv({ WEBHOOK_URL_POLICY: "local" }, subscriptionsPath(s.companyId), {
      body: { endpoint: "http://localhost:8791/push/dev", keys },
      headers: { cookie: s.owner },
    });
    expect(local.status, await local.clone().text()).toBe(201);
  });
});
