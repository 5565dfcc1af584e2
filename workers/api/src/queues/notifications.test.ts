import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import {
  attemptRows,
  insertMessage,
  messageRow,
  notificationCompany,
  uniqueAddress,
} from "../../test/notifications.ts";

// Through the real local queue and the worker's own consumer (vitest.config.ts: short batch window,
// NOTIFY_RETRY_BASE_SECONDS=0 so retries come back at once). Email goes through the simulated Email
// Service binding here (the run has no Resend key); SMS through the Twilio stand-in.
async function queueMessage(channel: "email" | "sms", address: string) {
  const { companyId, db } = await notificationCompany();
  const recipientKey = `${channel === "email" ? "email" : "phone"}:${address}`;
  const id = await insertMessage(db, { channel, address, recipientKey, body: `hello ${Math.random()}` });
  await env.NOTIFICATIONS_QUEUE.send({ kind: "deliver", company_id: companyId, message_id: id });
  await vi.waitFor(async () => expect((await messageRow(db, id)).status).toBe("sent"), {
    timeout: 20_000,
    interval: 200,
  });
  return (await attemptRows(db, id)).map((a) => `${a.provider} ${a.outcome}`);
}

describe("nexus-notifications consumer", () => {
  it("delivers a queued email", async () => {
    expect(await queueMessage("email", uniqueAddress("queued"))).toEqual(["resend sent"]);
  });

  it("retries a failing message on the queue until it goes through", async () => {
    // Numbers ending 0502 fail twice at the Twilio stand-in.
    expect(await queueMessage("sms", "+15551230502")).toEqual([
      "twilio failed",
      "twilio failed",
      "twilio sent",
    ]);
  });

  it("acknowledges a message it cannot read instead of retrying it into the dead-letter queue", async () => {
    const { handleNotificationsBatch } = await import("./notifications.ts");
    const verdicts: string[] = [];
    const message: Message = {
      id: "odd",
      timestamp: new Date(),
      body: { kind: "nonsense" },
      attempts: 1,
      ack: () => verdicts.push("ack"),
      retry: () => verdicts.push("retry"),
    };
    await handleNotificationsBatch(
      {
        queue: "nexus-notifications",
        messages: [message],
        metadata: { metrics: { backlogCount: 1, backlogBytes: 0 } },
        ackAll: () => undefined,
        retryAll: () => undefined,
      },
      env,
    );
    expect(verdicts).toEqual(["ack"]);
  });
});
