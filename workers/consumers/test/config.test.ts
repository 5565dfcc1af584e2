// The consumers' settings are validated before a batch or a cron run touches anything: a bad value
// fails with a message naming the setting (never the secret's value) and writes nothing, so the
// queue retries the batch once the deployment is fixed. Dead letters are kept whatever the settings.
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getConfig } from "../src/env.ts";
import worker from "../src/index.ts";
import { company, deliver, rollups, samplesMessage } from "./tenants.ts";

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const sample = (machineId: string) => [{ machine_id: machineId, metric: "temperature", value: 60, ts: T0 }];

describe("consumers configuration", () => {
  it("reads the deployed settings with their defaults", () => {
    expect(getConfig({ ...env })).toMatchObject({
      TELEMETRY_MINUTE_RETENTION_DAYS: 30,
      WEBHOOK_URL_POLICY: "public",
      WEBHOOK_TIMEOUT_SECONDS: 10,
      STRIPE_PRICE_TIERS: {},
      BILLING_GRACE_DAYS: 3,
    });
  });

  it("names each bad setting, never a secret's value", () => {
    const bad = {
      ...env,
      ENCRYPTION_KEYS: "not-a-key-list",
      WEBHOOK_URL_POLICY: "anywhere",
      STRIPE_PRICE_TIERS: "{price_pro: professional}",
      TELEMETRY_MINUTE_RETENTION_DAYS: "zero",
    };
    expect(() => getConfig(bad)).toThrow(
      /misconfigured: .*TELEMETRY_MINUTE_RETENTION_DAYS .*WEBHOOK_URL_POLICY .*STRIPE_PRICE_TIERS must be JSON.*ENCRYPTION_KEYS must be/,
    );
    expect(() => getConfig(bad)).not.toThrow(/not-a-key-list/);
  });

  it("fails a telemetry batch on a bad setting without writing, and rolls it up once fixed", async () => {
    const acme = await company("TENANT_DB_0001");
    const [machine] = acme.machines as [string];
    const body = samplesMessage(acme.id, "i:a:config-1:0", sample(machine));
    await expect(
      deliver([body], "nexus-telemetry", 1, ["m-config"], { TELEMETRY_RETRY_BASE_SECONDS: "-5" }),
    ).rejects.toThrow("TELEMETRY_RETRY_BASE_SECONDS");
    expect(await rollups(acme.db, "minute")).toEqual([]);

    const { result } = await deliver([body], "nexus-telemetry", 2, ["m-config"]);
    expect(result.explicitAcks).toEqual(["m-config"]);
    expect(await rollups(acme.db, "minute")).toHaveLength(1);
  });

  it("keeps dead letters even when a setting is bad", async () => {
    const { result } = await deliver([{ kind: "anything" }], "nexus-telemetry-dlq", 1, ["m-dead"], {
      ENCRYPTION_KEYS: "",
    });
    expect(result.retryMessages).toEqual([]);
    const kept = await env.CENTRAL_DB.prepare("SELECT queue FROM dead_letters").all<{ queue: string }>();
    expect(kept.results).toEqual([{ queue: "nexus-telemetry-dlq" }]);
  });

  it("refuses a cron run on a bad setting", async () => {
    const controller = createScheduledController({ cron: "41 3 * * *", scheduledTime: T0 });
    await expect(worker.scheduled(controller, { ...env, BILLING_GRACE_DAYS: "-1" } as never)).rejects.toThrow(
      "BILLING_GRACE_DAYS",
    );
  });
});
