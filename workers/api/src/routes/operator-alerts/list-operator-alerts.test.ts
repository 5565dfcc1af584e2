// Operator alerts: the five-minute check raises one alert per condition, mails it to the operators,
// resolves it once the condition is gone; operators list and resolve them, companies cannot.
import { env } from "cloudflare:workers";
import type { OperatorAlert } from "@nexus/contracts";
import { deadLetters, mailOutbox, webhookEndpoints } from "@nexus/db/central";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { callAsOperator, json, registerCompany } from "../../../test/helpers.ts";
import { newId } from "../../lib/ids.ts";
import { checkOperatorAlerts } from "../../services/operator-alerts.ts";

const db = drizzle(env.CENTRAL_DB);
/** The deployment's settings with the alert thresholds of one scenario. */
const withSettings = (settings: Record<string, string>) =>
  ({ ...env, OPERATOR_ALERT_EMAILS: "ops@nexus.example, Oncall@Nexus.example", ...settings }) as Env;

const list = async (query = "") =>
  json<{ alerts: OperatorAlert[]; next_cursor: string | null }>(
    await callAsOperator(`/api/admin/operator-alerts${query}`),
  );

async function insertDeadLetters(n: number) {
  for (let i = 0; i < n; i++) {
    await db.insert(deadLetters).values({
      id: newId(),
      queue: "nexus-events-dlq",
      messageId: `m-${crypto.randomUUID()}`,
      body: { kind: "delivery" },
      attempts: 8,
    });
  }
}

describe("operator alerts", () => {
  it("raise a low pool once, mail every operator, and resolve when databases are added", async () => {
    const low = withSettings({ TENANT_POOL_LOW_THRESHOLD: "10000" });
    const raised = await checkOperatorAlerts(low);
    expect(raised.map((row) => row.kind)).toEqual(["tenant_pool_low"]);
    expect(raised[0]?.deliveredTo).toEqual(["ops@nexus.example", "oncall@nexus.example"]);
    const mail = await db.select().from(mailOutbox).where(eq(mailOutbox.to, "ops@nexus.example"));
    expect(mail.map((row) => row.subject)).toEqual([expect.stringContaining("tenant database pool is low")]);
    expect(mail[0]?.text).toContain("nexus tenants pool add");

    // Seen again at the next check: still one open alert, no second mail.
    expect(await checkOperatorAlerts(low)).toEqual([]);
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.to, "ops@nexus.example"))).toHaveLength(1);
    expect((await list("?status=open")).alerts).toHaveLength(1);

    await checkOperatorAlerts(withSettings({ TENANT_POOL_LOW_THRESHOLD: "0" }));
    const [resolved] = (await list("?kind=tenant_pool_low")).alerts;
    expect(resolved).toMatchObject({ status: "resolved", details: { threshold: 10000 } });
    expect(resolved?.resolved_at).not.toBeNull();
    // The condition coming back is a new alert.
    expect(await checkOperatorAlerts(low)).toHaveLength(1);
  });

  it("alert on dead letters piling up and on a company's endpoints failing for an hour", async () => {
    const settings = withSettings({ DEAD_LETTER_ALERT_THRESHOLD: "3", TENANT_POOL_LOW_THRESHOLD: "0" });
    await insertDeadLetters(2);
    expect(await checkOperatorAlerts(settings)).toEqual([]);
    await insertDeadLetters(1);
    const [letters] = await checkOperatorAlerts(settings);
    expect(letters).toMatchObject({ kind: "dead_letters_growing", details: { pending: 3, threshold: 3 } });

    const company = await registerCompany({ admin_email: "owner@alerts.example" });
    const endpoint = {
      companyId: company.company_id,
      url: "https://hooks.example.com/in",
      eventTypes: ["*"],
      secretPrefix: "whsec_x",
      encryptedSecret: "x",
      updatedAt: new Date(),
    };
    // Failing for 10 minutes: not yet; for two hours: alert, naming the company.
    await db
      .insert(webhookEndpoints)
      .values({ id: newId(), ...endpoint, failingSince: new Date(Date.now() - 600_000) });
    expect(await checkOperatorAlerts(settings)).toEqual([]);
    const failingId = newId();
    await db
      .insert(webhookEndpoints)
      .values({ id: failingId, ...endpoint, failingSince: new Date(Date.now() - 7_200_000) });
    const [webhooks] = await checkOperatorAlerts(settings);
    expect(webhooks).toMatchObject({ kind: "webhooks_failing", companyId: company.company_id });

    await db.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, failingId));
    await checkOperatorAlerts(settings);
    expect((await list("?kind=webhooks_failing")).alerts).toMatchObject([{ status: "resolved" }]);
    expect((await list("?kind=dead_letters_growing")).alerts).toMatchObject([{ status: "open" }]);
  });
});
