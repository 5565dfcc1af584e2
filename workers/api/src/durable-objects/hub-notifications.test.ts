// The hub's part for held notifications, and the alarm it shares with the D1 flush: the earliest
// of flush and release sets it. (release.test.ts runs the whole path through the real queue.)
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { registerCompany } from "../../test/helpers.ts";
import { companyHub } from "../services/hub.ts";
import { HubAlarm } from "./hub-alarm.ts";
import { HubNotifications } from "./hub-notifications.ts";
import { HubRegistry } from "./hub-registry.ts";

type Sent = { body: { kind: string; company_id: string; message_ids: string[] } }[];

/** An env whose notifications queue records what is sent (or refuses, like a queue outage). */
function recordingEnv(sent: Sent, fail = false): Env {
  const queue = {
    async sendBatch(messages: Sent) {
      if (fail) throw new Error("queue unavailable");
      sent.push(...messages);
    },
  };
  return { ...env, NOTIFICATIONS_QUEUE: queue as unknown as Queue };
}

async function hubOf(name: string) {
  const { company_id: companyId } = await registerCompany({ admin_email: `own@${name}.example` });
  return { companyId, hub: companyHub(env, companyId) };
}

describe("HubNotifications", () => {
  it("sends only the due ids, 100 per release message, and forgets them once the queue took them", async () => {
    const { companyId, hub } = await hubOf("hub-held");
    await runInDurableObject(hub, async (_instance, state) => {
      const now = Date.now();
      const sent: Sent = [];
      const part = new HubNotifications(state.storage.sql, recordingEnv(sent));
      const due = Array.from({ length: 250 }, (_, i) => ({
        id: `m${String(i).padStart(3, "0")}`,
        until: now - i,
      }));
      part.hold([...due, { id: "later", until: now + 3_600_000 }]);
      // Held again: moved, not duplicated.
      part.hold([{ id: "m000", until: now - 1000 }]);
      expect(part.held()).toBe(251);
      expect(part.nextReleaseAt()).toBe(now - 1000);

      // A queue outage keeps everything for the alarm's retry.
      const refusing = new HubNotifications(state.storage.sql, recordingEnv([], true));
      await expect(refusing.releaseDue(companyId, now)).rejects.toThrow("queue unavailable");
      expect(part.held()).toBe(251);

      expect(await part.releaseDue(companyId, now)).toBe(250);
      expect(sent.map((m) => m.body.message_ids.length)).toEqual([100, 100, 50]);
      expect(sent.every((m) => m.body.kind === "release" && m.body.company_id === companyId)).toBe(true);
      expect(new Set(sent.flatMap((m) => m.body.message_ids)).size).toBe(250);
      expect(part.held()).toBe(1);
      expect(part.nextReleaseAt()).toBe(now + 3_600_000);
    });
  });
});

describe("HubAlarm with releases", () => {
  it("sets the alarm at the earliest of the flush interval and the next release", async () => {
    const { companyId, hub } = await hubOf("hub-alarm-earliest");
    await runInDurableObject(hub, async (_instance, state) => {
      await state.storage.deleteAlarm();
      const alarm = new HubAlarm(state.storage, new HubRegistry(state.storage.sql), env);
      const flushMs = Number(env.HEARTBEAT_FLUSH_SECONDS) * 1000;
      const inAnHour = Date.now() + 3_600_000;

      await alarm.ensureBy(inAnHour);
      expect(await state.storage.getAlarm()).toBe(inAnHour);
      // A heartbeat needs a flush within the interval: the alarm comes forward.
      const before = Date.now();
      await alarm.ensure();
      const flushAt = (await state.storage.getAlarm()) ?? 0;
      expect(flushAt).toBeGreaterThanOrEqual(before + flushMs);
      expect(flushAt).toBeLessThan(inAnHour);
      // A later release does not push it back; an earlier one brings it forward.
      await alarm.ensureBy(inAnHour);
      expect(await state.storage.getAlarm()).toBe(flushAt);
      const soon = Date.now() + 1_000;
      await alarm.ensureBy(soon);
      expect(await state.storage.getAlarm()).toBe(soon);

      // After a run: the release when nothing is left to flush, the flush interval when it is sooner.
      await alarm.run(
        companyId,
        async () => {},
        () => false,
        () => inAnHour,
      );
      expect(await state.storage.getAlarm()).toBe(inAnHour);
      const runAt = Date.now();
      await alarm.run(
        companyId,
        async () => {},
        () => true,
        () => inAnHour,
      );
      const next = (await state.storage.getAlarm()) ?? 0;
      expect(next).toBeGreaterThanOrEqual(runAt + flushMs);
      expect(next).toBeLessThan(inAnHour);
    });
  });
});
