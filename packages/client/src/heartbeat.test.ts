import { afterEach, describe, expect, it } from "vitest";
import {
  admin,
  heartbeatCount,
  joinedInstallation,
  networkFailure,
  scriptedFetch,
  sleep,
  testClient,
  waitFor,
} from "../test/harness.ts";
import {
  type HeartbeatOptions,
  type Heartbeats,
  heartbeatDelay,
  NexusNetworkError,
  startHeartbeats,
} from "./index.ts";

const running: Heartbeats[] = [];
afterEach(() => {
  for (const heartbeats of running.splice(0)) heartbeats.stop();
});

async function beating(overrides: Partial<HeartbeatOptions> = {}) {
  const { companyCode, joined } = await joinedInstallation();
  const client = testClient(scriptedFetch().fetch);
  let applied = joined.settings_version;
  const settings: { settings: Record<string, unknown>; version: number }[] = [];
  const errors: unknown[] = [];
  const revalidations: string[] = [];
  const heartbeats = startHeartbeats({
    client,
    request: { company_code: companyCode, machine_id: "machine-1", app_version: "1.0.0" },
    token: joined.installation.token,
    settingsVersion: () => applied,
    onSettings: (next, version) => {
      settings.push({ settings: next, version });
      applied = version;
    },
    revalidate: async () => {
      const again = await client.validate({
        company_code: companyCode,
        machine_id: "machine-1",
        hostname: "h",
      });
      revalidations.push(again.installation.token);
      return again.installation.token;
    },
    onError: (error) => errors.push(error),
    intervalMs: 40,
    jitter: 0,
    ...overrides,
  });
  running.push(heartbeats);
  return { heartbeats, joined, settings, errors, revalidations };
}

describe("startHeartbeats against the real API", () => {
  it("beats on the interval and stop() ends it", async () => {
    const { heartbeats, joined, errors } = await beating();
    await sleep(300);
    const counted = await heartbeatCount(joined.company_id);
    expect(counted).toBeGreaterThanOrEqual(3);
    heartbeats.stop();
    expect(heartbeats.stopped).toBe(true);
    await sleep(50); // a beat in flight at stop() is aborted
    const afterStop = await heartbeatCount(joined.company_id);
    await sleep(200);
    expect(await heartbeatCount(joined.company_id)).toBe(afterStop);
    expect(afterStop - counted).toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
  });

  it("calls onSettings once after a settings change and reports the applied version", async () => {
    const { joined, settings, errors } = await beating();
    await sleep(100);
    expect(settings).toEqual([]);
    await admin("PUT", `/api/admin/companies/${joined.company_id}/settings`, {
      settings: { shift: "night" },
    });
    await waitFor(() => settings.length === 1, 3_000, "onSettings");
    expect(settings[0]?.version).toBe(joined.settings_version + 1);
    expect(settings[0]?.settings).toMatchObject({ shift: "night" });
    await sleep(200); // further beats send the applied version, so no repeat
    expect(settings).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("revalidates when the token is refused and carries on with the new one", async () => {
    const { joined, revalidations, errors } = await beating({ token: "garbage" });
    await waitFor(() => revalidations.length === 1, 3_000, "revalidate");
    await sleep(200);
    expect(revalidations).toHaveLength(1);
    expect(await heartbeatCount(joined.company_id)).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
  });

  it("waits for the next beat after a network error", async () => {
    const failing = testClient(networkFailure, { retries: 0 });
    const { heartbeats, errors, joined } = await beating({ client: failing });
    await waitFor(() => errors.length >= 3, 3_000, "three failed beats");
    expect(errors.every((error) => error instanceof NexusNetworkError)).toBe(true);
    expect(heartbeats.stopped).toBe(false);
    expect(await heartbeatCount(joined.company_id)).toBe(0);
  });
});

describe("heartbeatDelay", () => {
  it("stays within ±jitter of the interval and varies", () => {
    expect(heartbeatDelay(300_000, 0.1, () => 0)).toBe(270_000);
    expect(heartbeatDelay(300_000, 0.1, () => 1)).toBe(330_000);
    expect(heartbeatDelay(300_000, 0.1, () => 0.5)).toBe(300_000);
    const samples = Array.from({ length: 200 }, () => heartbeatDelay(300_000, 0.1));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(270_000);
    expect(Math.max(...samples)).toBeLessThanOrEqual(330_000);
    expect(new Set(samples).size).toBeGreaterThan(150);
  });
});
