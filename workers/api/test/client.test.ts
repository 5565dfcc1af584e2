// The client package's features that need the worker to set the stage (a published release, a
// token about to expire): they live on the worker's side, since packages never import workers.
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Heartbeats, startHeartbeats, updateFeedOptions } from "../../../packages/client/src/index.ts";
import {
  joinedInstallation,
  scriptedFetch,
  testClient,
  waitFor,
} from "../../../packages/client/test/harness.ts";
import { issueInstallationToken } from "../src/services/installation-tokens.ts";
import { callAsOperator, registerCompany, validatedMachine } from "./helpers.ts";
import { installersFor, publishRelease } from "./releases.ts";

const running: Heartbeats[] = [];
afterEach(() => {
  for (const heartbeats of running.splice(0)) heartbeats.stop();
});

describe("@nexus/client against the worker", () => {
  it("builds electron-updater's generic feed settings that the feed accepts", async () => {
    const company = await registerCompany();
    await callAsOperator(`/api/admin/companies/${company.company_id}`, {
      method: "PATCH",
      body: { update_channel: "beta" },
    });
    const machine = await validatedMachine(company.company_code, "feed-pc");
    await publishRelease("3.0.0-beta.2", { channel: "beta", files: installersFor("3.0.0-beta.2") });
    const feed = updateFeedOptions({
      baseUrl: "http://nexus.test/",
      companyCode: company.company_code.toLowerCase(),
      token: machine.installation.token,
      channel: machine.update_channel,
    });
    expect(feed).toEqual({
      provider: "generic",
      url: `http://nexus.test/api/updates?company_code=${company.company_code}`,
      channel: "beta",
      requestHeaders: {
        Authorization: `Bearer ${machine.installation.token}`,
        "X-Company-Code": company.company_code,
      },
    });
    // What electron-updater's generic provider then requests: <url>/<channel>.yml with the query.
    const base = new URL(feed.url);
    const channelFile = new URL(`${base.pathname}/${feed.channel}.yml${base.search}`, base);
    const response = await exports.default.fetch(channelFile.toString(), { headers: feed.requestHeaders });
    expect(response.status).toBe(200);
    expect(parse(await response.text())).toMatchObject({ version: "3.0.0-beta.2" });
  });

  it("adopts the fresh token a heartbeat hands out and reports it", async () => {
    const { companyCode, joined } = await joinedInstallation();
    const aging = await issueInstallationToken(
      env.JWT_SIGNING_KEYS,
      { installationId: joined.installation.id, companyId: joined.company_id },
      120,
    );
    const client = testClient(scriptedFetch().fetch);
    const tokens: string[] = [];
    const sent: string[] = [];
    const heartbeats = startHeartbeats({
      client: {
        heartbeat: (request, token, options) => {
          sent.push(token);
          return client.heartbeat(request, token, options);
        },
      },
      request: { company_code: companyCode, machine_id: "machine-1", app_version: "1.0.0" },
      token: aging.token,
      settingsVersion: () => joined.settings_version,
      onSettings: () => {},
      onToken: (credential) => void tokens.push(credential.token),
      revalidate: async () => {
        throw new Error("no revalidation expected");
      },
      intervalMs: 40,
      jitter: 0,
    });
    running.push(heartbeats);
    await waitFor(() => sent.length >= 3, 3_000, "three beats");
    expect(tokens).toHaveLength(1);
    expect(sent[0]).toBe(aging.token);
    expect(sent.slice(1).every((token) => token === tokens[0])).toBe(true);
  });
});
