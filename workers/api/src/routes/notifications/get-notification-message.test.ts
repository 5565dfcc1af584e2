// One notification with its provider attempts, oldest first; unknown ids and another company's are
// not found.
import { env } from "cloudflare:workers";
import type { NotificationMessageDetail } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";
import { notifyCompany, rivalCompany, trigger } from "./fixtures.ts";

const messagePath = (companyId: string, id: string) =>
  `/api/admin/companies/${companyId}/notifications/messages/${id}`;

describe("GET /api/admin/companies/{id}/notifications/messages/{message_id}", () => {
  it("answers the message with every attempt, a failover naming both providers", async () => {
    const acme = await notifyCompany("nm", { ownerOnly: true });
    const answer = await trigger(acme.companyId, {
      workflow: "release.published",
      to: [{ email: "ops@nm.example" }],
      payload: { release: { version: "2.4.0", channel: "stable" } },
    });
    const id = answer.messages[0]?.id ?? "";
    const db = await tenantDatabase(env, acme.companyId);
    // Attempts as the delivery consumer writes them: the primary failed, the secondary took it.
    const attempt = db.prepare(
      "INSERT INTO notification_attempts (id, message_id, attempt, provider, outcome, error, http_status, latency_ms, retry_delay_seconds, created_at) VALUES (?, ?, 1, ?, ?, ?, ?, 12, NULL, ?)",
    );
    await db.batch([
      attempt.bind("a2", id, "resend", "sent", null, 200, 2000),
      attempt.bind("a1", id, "cloudflare", "failed", "binding refused", null, 1000),
    ]);
    const response = await callAsOperator(messagePath(acme.companyId, id));
    expect(response.status, await response.clone().text()).toBe(200);
    const detail = await json<NotificationMessageDetail>(response);
    expect(detail.message).toMatchObject({
      id,
      workflow: "release.published",
      channel: "email",
      address: "ops@nm.example",
      subject: "Version 2.4.0 is available",
    });
    expect(detail.attempts.map((a) => [a.provider, a.outcome, a.error])).toEqual([
      ["cloudflare", "failed", "binding refused"],
      ["resend", "sent", null],
    ]);
  });

  it("finds no unknown message and none of another company's", async () => {
    const acme = await notifyCompany("nm-other", { ownerOnly: true });
    const rival = await rivalCompany("nm-other-rival");
    const answer = await trigger(acme.companyId, {
      workflow: "member.invited",
      to: [{ user_id: acme.ownerId }],
      payload: {},
    });
    const id = answer.messages[0]?.id ?? "";
    await expectError(
      await callAsOperator(messagePath(rival.companyId, id)),
      404,
      "NOTIFICATION_MESSAGE_NOT_FOUND",
    );
    await expectError(
      await callAsOperator(messagePath(acme.companyId, "no-such-message")),
      404,
      "NOTIFICATION_MESSAGE_NOT_FOUND",
    );
  });
});
